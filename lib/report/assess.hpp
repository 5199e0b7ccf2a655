// The yearly assessment of the handling units (考核): a score out of 100 per
// unit from mailbox.toml's [assessment] weights, every component kept so a
// unit can see where it lost points.
#pragma once

#include "format/output.hpp"
#include "model/config.hpp"
#include "report/stats.hpp"

#include <optional>
#include <string>
#include <vector>

namespace mailbox {

struct Assessment {
    std::string unit;
    std::string name;
    Counts counts;
    double on_time = 0;      // points
    double satisfaction = 0; // points
    double first_review = 0; // points
    double base = 0;
    double late = 0;    // points taken off for late and overdue cases
    double returns = 0; // points taken off for cases handed back
    double bonus = 0;   // exemplary handlings, capped
    double total = 0;   // before clamping: ranks units that both reach 100
    double score = 0;   // 0..100
    std::string grade;  // 优秀, 良好, 合格, 不合格, or 不评定 (too few cases)
    std::optional<int> rank;
};

// One assessment per unit with cases or returns in the year's figures,
// ranked: graded units by score (then the unclamped total, the on-time rate,
// the id), the ungraded
// after them.
std::vector<Assessment> assess_units(const Stats& year, const AssessmentWeights& w);

std::string grade_of(double score); // 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, else 不合格

Value assessment_record(const Assessment& a);
const std::vector<Column>& assessment_columns();
// Every field of a record: the csv and tsv header even when no unit is assessed.
const std::vector<Column>& assessment_fields();

} // namespace mailbox
