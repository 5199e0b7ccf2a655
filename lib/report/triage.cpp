#include "report/triage.hpp"

#include "store/cache/case_index.hpp"
#include "store/casefile.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"
#include "util/parallel.hpp"
#include "util/timestamp.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <numeric>

namespace mailbox {

Decisions decided_cases(const Mailbox& mailbox) {
    Decisions out;
    // Only where each file is: a summary is heavier than the letter's features.
    std::vector<CaseFile> decided;
    for (IndexEntry& e : load_case_index(mailbox)) {
        if (!e.summary) {
            out.broken.push_back(std::move(e));
        } else if (e.summary->category || e.summary->handler) {
            decided.push_back(CaseFile{e.path, e.id});
        }
    }
    std::vector<std::optional<Decided>> read(decided.size());
    std::vector<std::optional<IndexEntry>> failed(decided.size());
    for_each_in_parallel(decided.size(), [&](std::size_t i) {
        const CaseFile& e = decided[i];
        try {
            Case c = parse_case(read_file(mailbox.absolute(e.path)), e.path, e.id);
            read[i] = Decided{c.id, epoch_seconds(c.received), c.category.value_or(""),
                              c.handler.value_or(""), features_of(c.subject, c.body)};
        } catch (const DataError& error) {
            // Changed since the index read it, and broken now.
            failed[i] = IndexEntry{e.path, e.id, std::nullopt, {error}, 0, -1};
        }
    });
    for (std::size_t i = 0; i < decided.size(); ++i) {
        if (read[i]) {
            out.cases.push_back(std::move(*read[i]));
        } else if (failed[i]) {
            out.broken.push_back(std::move(*failed[i]));
        }
    }
    return out;
}

namespace {

const std::string& label_of(const Decided& d, Target t) {
    return t == Target::category ? d.category : d.unit;
}

// The guesses of held-out cases, tallied.
class Tally {
  public:
    Tally(Target target, double threshold) : m_target(target), m_threshold(threshold) {}

    void add(const std::string& truth, const std::optional<Guess>& g) {
        ++m_guessed;
        std::string guess = g ? g->label : "";
        m_pairs.emplace_back(truth, guess);
        bool right = guess == truth;
        m_correct += right;
        if (g && g->confidence >= m_threshold) {
            ++m_confident;
            m_confident_correct += right;
        }
    }

    Evaluation result(int folds, std::size_t learned) const {
        Evaluation e;
        e.target = m_target;
        e.folds = folds;
        e.learned = learned;
        e.guessed = m_guessed;
        e.threshold = m_threshold;
        auto share = [](std::size_t part, std::size_t whole) {
            return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
        };
        e.accuracy = share(m_correct, m_guessed);
        e.confident_share = share(m_confident, m_guessed);
        e.confident_accuracy = share(m_confident_correct, m_confident);
        std::map<std::string, LabelScore> scores;
        for (const auto& [truth, guess] : m_pairs) {
            scores[truth].cases++;
            if (!guess.empty()) {
                scores[guess].guessed++;
            }
            scores[truth].correct += truth == guess;
        }
        std::map<std::string, std::size_t> index;
        for (auto& [label, s] : scores) {
            s.label = label;
            s.precision = s.guessed ? static_cast<double>(s.correct) / s.guessed : 0;
            s.recall = s.cases ? static_cast<double>(s.correct) / s.cases : 0;
            s.f1 = s.precision + s.recall > 0
                       ? 2 * s.precision * s.recall / (s.precision + s.recall)
                       : 0;
            index[label] = e.labels.size();
            e.labels.push_back(s);
        }
        // Macro-F1 over the labels held out: a label only guessed, never
        // right, lowers precision elsewhere but is not itself averaged.
        double sum = 0;
        int held = 0;
        for (const LabelScore& s : e.labels) {
            if (s.cases > 0) {
                sum += s.f1;
                ++held;
            }
        }
        e.macro_f1 = held ? sum / held : 0;
        e.confusion.assign(e.labels.size(), std::vector<int>(e.labels.size(), 0));
        for (const auto& [truth, guess] : m_pairs) {
            if (!guess.empty()) {
                e.confusion[index[truth]][index[guess]]++;
            }
        }
        return e;
    }

  private:
    Target m_target;
    double m_threshold;
    std::vector<std::pair<std::string, std::string>> m_pairs;
    std::size_t m_guessed = 0, m_correct = 0, m_confident = 0, m_confident_correct = 0;
};

std::vector<const Decided*> labelled(const std::vector<Decided>& cases, Target target) {
    std::vector<const Decided*> out;
    for (const Decided& d : cases) {
        if (!label_of(d, target).empty()) {
            out.push_back(&d);
        }
    }
    return out;
}

} // namespace

Evaluation evaluate_by_time(const std::vector<Decided>& cases, Target target, double threshold,
                            double learned_share) {
    std::vector<const Decided*> order = labelled(cases, target);
    std::stable_sort(order.begin(), order.end(),
                     [](const Decided* a, const Decided* b) { return a->received < b->received; });
    auto cut = static_cast<std::size_t>(static_cast<double>(order.size()) * learned_share);
    Classifier c;
    for (std::size_t i = 0; i < cut; ++i) {
        c.learn(order[i]->features, label_of(*order[i], target));
    }
    Tally tally(target, threshold);
    for (std::size_t i = cut; i < order.size(); ++i) {
        tally.add(label_of(*order[i], target), c.classify(order[i]->features));
    }
    return tally.result(0, cut);
}

Evaluation evaluate_in_folds(const std::vector<Decided>& cases, Target target, double threshold,
                             int k) {
    std::vector<const Decided*> all = labelled(cases, target);
    // All learned once; each fold forgotten, guessed, learned again.
    Classifier c;
    for (const Decided* d : all) {
        c.learn(d->features, label_of(*d, target));
    }
    Tally tally(target, threshold);
    for (int fold = 0; fold < k; ++fold) {
        for (std::size_t i = fold; i < all.size(); i += k) {
            c.learn(all[i]->features, label_of(*all[i], target), -1);
        }
        for (std::size_t i = fold; i < all.size(); i += k) {
            tally.add(label_of(*all[i], target), c.classify(all[i]->features));
        }
        for (std::size_t i = fold; i < all.size(); i += k) {
            c.learn(all[i]->features, label_of(*all[i], target));
        }
    }
    return tally.result(k, all.size() - all.size() / k);
}

namespace {

std::string target_name(Target t) {
    return t == Target::category ? "category" : "unit";
}

double rounded(double x) {
    return std::round(x * 1000) / 1000;
}

} // namespace

Value evaluation_record(const Evaluation& e) {
    Value::Array labels;
    for (const LabelScore& s : e.labels) {
        labels.emplace_back(Value::Object{{"label", s.label},
                                          {"cases", s.cases},
                                          {"guessed", s.guessed},
                                          {"correct", s.correct},
                                          {"precision", rounded(s.precision)},
                                          {"recall", rounded(s.recall)},
                                          {"f1", rounded(s.f1)}});
    }
    Value::Array confusion;
    for (const auto& row : e.confusion) {
        Value::Array counts;
        for (int n : row) {
            counts.emplace_back(n);
        }
        confusion.emplace_back(std::move(counts));
    }
    return Value(Value::Object{
        {"target", target_name(e.target)},
        {"split", e.folds ? "folds" : "time"},
        {"folds", e.folds ? Value(e.folds) : Value()},
        {"learned", static_cast<std::int64_t>(e.learned)},
        {"guessed", static_cast<std::int64_t>(e.guessed)},
        {"accuracy", rounded(e.accuracy)},
        {"macro_f1", rounded(e.macro_f1)},
        {"threshold", e.threshold},
        {"confident_share", rounded(e.confident_share)},
        {"confident_accuracy", rounded(e.confident_accuracy)},
        {"labels", Value(std::move(labels))},
        {"confusion", Value(std::move(confusion))},
    });
}

Value evaluation_row(const Evaluation& e) {
    auto three = [](double x) { return fmt::format("{:.3f}", x); };
    return Value(Value::Object{
        {"target", e.target == Target::category ? C_("triage", "category") : C_("triage", "unit")},
        {"split", e.folds ? trn("{} fold", "{} folds", static_cast<unsigned long>(e.folds), e.folds)
                          : std::string(_("by time"))},
        {"learned", static_cast<std::int64_t>(e.learned)},
        {"guessed", static_cast<std::int64_t>(e.guessed)},
        {"accuracy", three(e.accuracy)},
        {"macro_f1", three(e.macro_f1)},
        {"confident_share", three(e.confident_share)},
        {"confident_accuracy", three(e.confident_accuracy)},
    });
}

const std::vector<Column>& evaluation_columns() {
    static const std::vector<Column> k_columns{
        {"target", _("SUGGESTS")},           {"split", _("SPLIT")},
        {"learned", _("LEARNED")},           {"guessed", _("GUESSED")},
        {"accuracy", _("ACCURACY")},         {"macro_f1", _("MACRO-F1")},
        {"confident_share", _("CONFIDENT")}, {"confident_accuracy", _("CONFIDENT ACCURACY")},
    };
    return k_columns;
}

std::vector<Value> label_rows(const Evaluation& e) {
    std::vector<Value> rows;
    for (std::size_t i = 0; i < e.labels.size(); ++i) {
        const LabelScore& s = e.labels[i];
        Value::Object row{{"label", s.label},
                          {"cases", s.cases},
                          {"guessed", s.guessed},
                          {"precision", fmt::format("{:.3f}", s.precision)},
                          {"recall", fmt::format("{:.3f}", s.recall)},
                          {"f1", fmt::format("{:.3f}", s.f1)}};
        for (std::size_t j = 0; j < e.labels.size(); ++j) {
            row.emplace_back("as_" + e.labels[j].label, e.confusion[i][j]);
        }
        rows.emplace_back(std::move(row));
    }
    return rows;
}

std::vector<Column> label_columns(const Evaluation& e) {
    std::vector<Column> columns{{"label", e.target == Target::category ? _("CATEGORY") : _("UNIT")},
                                {"cases", _("CASES")},
                                {"guessed", _("GUESSED")},
                                {"precision", _("PRECISION")},
                                {"recall", _("RECALL")},
                                {"f1", _("F1")}};
    // The confusion table beside: how often each label was guessed as each.
    for (const LabelScore& s : e.labels) {
        columns.push_back({"as_" + s.label, "→" + s.label});
    }
    return columns;
}

} // namespace mailbox
