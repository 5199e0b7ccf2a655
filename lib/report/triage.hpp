// How well the classifier (model/classifier.hpp) would have suggested the
// category and the lead unit of the mailbox's own cases, had it learned
// only from the others: mailbox-report triage-eval. Two ways of holding
// cases out: by time (learn the earlier, guess the later, as the office
// lives it) and in K folds (each case guessed once, by a classifier that
// learned the rest).
#pragma once

#include "format/output.hpp"
#include "model/classifier.hpp"
#include "store/cache/case_row.hpp"
#include "store/mailbox.hpp"

#include <string>
#include <vector>

namespace mailbox {

// A case the office has decided: its letter's features and what it chose.
struct Decided {
    std::string id;
    std::int64_t received = 0; // seconds: the time split's order
    std::string category;      // empty when it has none
    std::string unit;          // the lead unit; empty when not assigned
    Features features;
};

struct Decisions {
    std::vector<Decided> cases; // in id order
    std::vector<IndexEntry> broken;
};

// Every case with a category or a lead unit, its file read for the letter.
Decisions decided_cases(const Mailbox& mailbox);

enum class Target { category, unit };

struct LabelScore {
    std::string label;
    int cases = 0;   // held out with this label
    int guessed = 0; // guessed as this label
    int correct = 0;
    double precision = 0, recall = 0, f1 = 0;
};

struct Evaluation {
    Target target = Target::category;
    int folds = 0;              // 0: the time split
    std::size_t learned = 0;    // the time split: cases learned from
    std::size_t guessed = 0;    // cases held out and guessed
    double accuracy = 0;        // of the guesses, the share right
    double macro_f1 = 0;        // F1 averaged over the labels held out
    double threshold = 0;       // the confidence a suggestion needs
    double confident_share = 0; // of the guesses, the share at or over it
    double confident_accuracy = 0;
    std::vector<LabelScore> labels;          // by label
    std::vector<std::vector<int>> confusion; // [label held out][label guessed], labels' order
};

// The earlier share of the cases (by received time) learned, the rest guessed.
Evaluation evaluate_by_time(const std::vector<Decided>& cases, Target target, double threshold,
                            double learned_share = 0.8);
// Case i in fold i % k, by id order; each fold guessed by the others.
Evaluation evaluate_in_folds(const std::vector<Decided>& cases, Target target, double threshold,
                             int k);

Value evaluation_record(const Evaluation& e);
// The same for a table: words in the user's language, figures rounded.
Value evaluation_row(const Evaluation& e);
const std::vector<Column>& evaluation_columns();
// One row a label, then per label the confusion counts.
std::vector<Value> label_rows(const Evaluation& e);
std::vector<Column> label_columns(const Evaluation& e);

} // namespace mailbox
