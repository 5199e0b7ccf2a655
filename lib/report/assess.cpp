#include "report/assess.hpp"

#include "util/i18n.hpp"

#include <algorithm>
#include <cmath>

namespace mailbox {

namespace {

double round1(double x) {
    return std::round(x * 10.0) / 10.0;
}

// No case decided yet, no feedback, no answer: nothing to lose points on.
double share_or_all(std::optional<double> rate) {
    return rate.value_or(1.0);
}

Assessment score(const Row& row, const AssessmentWeights& w) {
    const Counts& k = row.counts;
    Assessment a;
    a.unit = row.id;
    a.name = row.name;
    a.counts = k;
    a.on_time = round1(w.on_time * share_or_all(k.on_time_rate()));
    a.satisfaction = round1(w.satisfaction * share_or_all(k.satisfaction_rate()));
    double sent_back = k.replied == 0 ? 0.0 : std::min(1.0, 1.0 * k.rejected_drafts / k.replied);
    a.first_review = round1(w.first_review * (1.0 - sent_back));
    a.base = w.base;
    int late = k.replied_late + k.overdue_open;
    a.late =
        round1(w.late_penalty * (late - k.very_overdue) + w.very_overdue_penalty * k.very_overdue);
    a.returns = round1(w.return_penalty * k.returns);
    a.bonus = round1(std::min(w.bonus_max, w.exemplary_bonus * k.exemplary));
    double total =
        a.on_time + a.satisfaction + a.first_review + a.base - a.late - a.returns + a.bonus;
    a.total = round1(total);
    a.score = round1(std::clamp(total, 0.0, 100.0));
    a.grade = k.received < w.min_cases ? "不评定" : grade_of(a.score);
    return a;
}

} // namespace

std::string grade_of(double score) {
    return score >= 90 ? "优秀" : score >= 80 ? "良好" : score >= 60 ? "合格" : "不合格";
}

std::vector<Assessment> assess_units(const Stats& year, const AssessmentWeights& w) {
    std::vector<Assessment> out;
    for (const Row& row : year.rows.at(Breakdown::unit)) {
        if (row.id.empty() || (row.counts.received == 0 && row.counts.returns == 0 &&
                               row.counts.rejected_drafts == 0)) {
            continue;
        }
        out.push_back(score(row, w));
    }
    auto graded = [](const Assessment& a) { return a.grade != "不评定"; };
    std::stable_sort(out.begin(), out.end(), [&](const Assessment& a, const Assessment& b) {
        if (graded(a) != graded(b)) {
            return graded(a);
        }
        if (a.score != b.score) {
            return a.score > b.score;
        }
        if (a.total != b.total) {
            return a.total > b.total;
        }
        double ra = share_or_all(a.counts.on_time_rate()),
               rb = share_or_all(b.counts.on_time_rate());
        return ra != rb ? ra > rb : a.unit < b.unit;
    });
    int rank = 0;
    for (Assessment& a : out) {
        if (graded(a)) {
            a.rank = ++rank;
        }
    }
    return out;
}

Value assessment_record(const Assessment& a) {
    const Counts& k = a.counts;
    return Value(Value::Object{
        {"rank", a.rank},
        {"unit", a.unit},
        {"name", a.name},
        {"cases", k.received},
        {"on_time_rate", k.on_time_rate()},
        {"satisfaction_rate", k.satisfaction_rate()},
        {"late", k.replied_late + k.overdue_open},
        {"very_overdue", k.very_overdue},
        {"returns", k.returns},
        {"rejected_drafts", k.rejected_drafts},
        {"exemplary", k.exemplary},
        {"on_time_points", a.on_time},
        {"satisfaction_points", a.satisfaction},
        {"first_review_points", a.first_review},
        {"base_points", a.base},
        {"late_deduction", a.late},
        {"return_deduction", a.returns},
        {"exemplary_bonus", a.bonus},
        {"total", a.total},
        {"score", a.score},
        {"grade", a.grade},
    });
}

const std::vector<Column>& assessment_columns() {
    static const std::vector<Column> k_columns{
        {"rank", _("RANK")},
        {"name", _("UNIT")},
        {"cases", _("CASES")},
        {"on_time_points", _("ON TIME")},
        {"satisfaction_points", _("SATISFIED")},
        {"first_review_points", _("REVIEW")},
        {"base_points", _("BASE")},
        {"late_deduction", _("LATE-")},
        {"return_deduction", _("RETURN-")},
        {"exemplary_bonus", _("BONUS+")},
        {"score", _("SCORE")},
        {"grade", _("GRADE")},
    };
    return k_columns;
}

const std::vector<Column>& assessment_fields() {
    static const std::vector<Column> k_fields = [] {
        std::vector<Column> fields;
        Value record = assessment_record(Assessment{});
        for (const auto& [key, value] : *record.object()) {
            fields.push_back({key, key});
        }
        return fields;
    }();
    return k_fields;
}

} // namespace mailbox
