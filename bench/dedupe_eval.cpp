// Precision and recall of the duplicate-letter finder on labelled pairs:
//   dedupe-eval bench/dedupe/same.tsv bench/dedupe/different.tsv [--threshold T]
// Each row is a pair of letters (see bench/dedupe/README.md). A pair is
// linked when the finder's score reaches its threshold, lowered for the same
// sender exactly as intake does (link_threshold).
#include "intake/dedupe.hpp"
#include "model/case.hpp"
#include "model/similarity.hpp"

#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace mailbox;

namespace {

struct Pair {
    std::string id, kind;
    bool same = false;
    Sender a_sender, b_sender;
    Bigrams a, b;
    Similarity sim;
    bool same_sender = false;
};

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    for (std::string f; std::getline(in, f, '\t');) {
        fields.push_back(f);
    }
    return fields;
}

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == 'n') {
            out += '\n';
            ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::vector<Pair> read_pairs(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("can't read '" + path + "'");
    }
    std::vector<Pair> pairs;
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        auto f = split_tabs(line);
        if (f.size() < 15) {
            continue;
        }
        Pair p;
        p.id = f[0];
        p.same = f[1] == "1";
        p.kind = f[2];
        p.a_sender = {f[4], f[5], f[6]};
        p.b_sender = {f[10], f[11], f[12]};
        p.a = letter_bigrams(f[7], unescape(f[8]));
        p.b = letter_bigrams(f[13], unescape(f[14]));
        p.same_sender = shares_contact(p.a_sender, p.b_sender);
        pairs.push_back(std::move(p));
    }
    return pairs;
}

struct Counts {
    int tp = 0, fp = 0, fn = 0, tn = 0;
};

Counts evaluate(const std::vector<Pair>& pairs, const DedupeRules& rules,
                std::map<std::string, std::pair<int, int>>* by_kind = nullptr) {
    Counts c;
    for (const Pair& p : pairs) {
        bool linked = p.sim.score >= link_threshold(rules, p.same_sender);
        if (by_kind) {
            auto& [hits, total] = (*by_kind)[p.kind];
            hits += linked;
            ++total;
        }
        (p.same ? (linked ? c.tp : c.fn) : (linked ? c.fp : c.tn))++;
    }
    return c;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<Pair> pairs;
    DedupeRules rules;
    bool verbose = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "--threshold" && i + 1 < argc) {
            rules.threshold = std::stod(argv[++i]);
        } else if (arg == "--sender-threshold" && i + 1 < argc) {
            rules.sender_threshold = std::stod(argv[++i]);
        } else if (arg == "-v") {
            verbose = true;
        } else {
            auto more = read_pairs(arg);
            pairs.insert(pairs.end(), more.begin(), more.end());
        }
    }
    // As intake weighs bigrams over the letters in its window, the eval
    // weighs them over every letter of the set.
    BigramWeights weights;
    for (const Pair& p : pairs) {
        weights.add(p.a);
        weights.add(p.b);
    }
    for (Pair& p : pairs) {
        p.sim = similarity(p.a, p.b, weights);
    }
    if (verbose) {
        for (const Pair& p : pairs) {
            fmt::print("{}\t{}\t{}\tdice {:.2f}\tcontain {:.2f}\tscore {:.2f}{}\n", p.id, p.same,
                       p.kind, p.sim.dice, p.sim.containment, p.sim.score,
                       p.same_sender ? "\tsame sender" : "");
        }
    }
    fmt::print("threshold  precision  recall  (tp fp fn tn)\n");
    for (double t = 0.30; t <= 0.951; t += 0.05) {
        DedupeRules r = rules;
        r.threshold = t;
        Counts c = evaluate(pairs, r);
        double precision = c.tp + c.fp ? double(c.tp) / (c.tp + c.fp) : 1.0;
        double recall = c.tp + c.fn ? double(c.tp) / (c.tp + c.fn) : 1.0;
        fmt::print("{:.2f}       {:.3f}      {:.3f}   ({} {} {} {}){}\n", t, precision, recall,
                   c.tp, c.fp, c.fn, c.tn,
                   std::abs(t - rules.threshold) < 1e-9 ? "   <- configured" : "");
    }
    std::map<std::string, std::pair<int, int>> by_kind;
    evaluate(pairs, rules, &by_kind);
    fmt::print("\nat threshold {:.2f}, linked per kind:\n", rules.threshold);
    for (const auto& [kind, ht] : by_kind) {
        fmt::print("  {:<14} {:>3} of {:>3}\n", kind, ht.first, ht.second);
    }
}
