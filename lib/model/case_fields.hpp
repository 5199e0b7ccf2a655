// Every field of a case file, once: its key, the member that holds it, and
// what a merge makes of two clones' versions of it. Adding a field is one
// line here and one member in case.hpp; the case file's reader and writer
// (store/casefile.cpp) and the cache's rows (store/cache/case_row.cpp) walk
// this list and know how to read, write and encode each member type. The
// history is not here: it is a list of [[history]] tables after the fields.
#pragma once

#include "model/case.hpp"

#include <string_view>

namespace mailbox {

// What a field is decides how a disagreement over it (two clones' edits of
// one case) is settled.
enum class FieldKind {
    registration, // the letter as registered: only a person can choose
    handling,     // the state the office's actions left: follows the history
    set,          // records added one by one: merged like the history
};

// One field. The member's class says where it lives: a CaseSummary member is
// kept by the cache, a Case member (the body) only by the file.
template <typename Class, typename T>
struct CaseFieldSpec {
    std::string_view key;
    T Class::*member;
    FieldKind kind = FieldKind::handling;
    bool required = false;
    bool block = false; // written as a block of lines even when it is one line
};

// Spelled out for compilers without deduction for aggregates (clang 14).
template <typename Class, typename T, typename... Rest>
CaseFieldSpec(std::string_view, T Class::*, Rest...) -> CaseFieldSpec<Class, T>;

// Calls visit(CaseFieldSpec) for each field, in the order the file has them.
template <typename Visit>
void each_case_field(Visit&& visit) {
    using S = CaseSummary;
    constexpr auto reg = FieldKind::registration, set = FieldKind::set;
    visit(CaseFieldSpec{"id", &S::id, reg, true});
    visit(CaseFieldSpec{"status", &S::status, FieldKind::handling, true});
    visit(CaseFieldSpec{"received", &S::received, reg, true});
    visit(CaseFieldSpec{"channel", &S::channel, reg, true});
    visit(CaseFieldSpec{"subject", &S::subject, reg, true});
    visit(CaseFieldSpec{"sender", &S::sender, reg, true});
    visit(CaseFieldSpec{"category", &S::category});
    visit(CaseFieldSpec{"suggested_category", &S::suggested_category});
    visit(CaseFieldSpec{"suggested_unit", &S::suggested_unit});
    visit(CaseFieldSpec{"suggested_by", &S::suggested_by});
    visit(CaseFieldSpec{"kind", &S::kind});
    visit(CaseFieldSpec{"handler", &S::handler});
    visit(CaseFieldSpec{"co_units", &S::co_units});
    visit(CaseFieldSpec{"leader", &S::leader});
    visit(CaseFieldSpec{"instruction", &S::instruction});
    visit(CaseFieldSpec{"assigned", &S::assigned});
    visit(CaseFieldSpec{"returned_by", &S::returned_by});
    visit(CaseFieldSpec{"due", &S::due});
    visit(CaseFieldSpec{"extensions", &S::extensions, set});
    visit(CaseFieldSpec{"replied", &S::replied});
    visit(CaseFieldSpec{"closed", &S::closed});
    visit(CaseFieldSpec{"outcome", &S::outcome});
    visit(CaseFieldSpec{"on_time", &S::on_time});
    visit(CaseFieldSpec{"late", &S::late});
    visit(CaseFieldSpec{"feedback", &S::feedback});
    visit(CaseFieldSpec{"reopened", &S::reopened});
    visit(CaseFieldSpec{"reopened_for", &S::reopened_for});
    visit(CaseFieldSpec{"exemplary", &S::exemplary});
    visit(CaseFieldSpec{"rejections", &S::rejections});
    visit(CaseFieldSpec{"restricted", &S::restricted});
    visit(CaseFieldSpec{"accused", &S::accused});
    visit(CaseFieldSpec{"solved_on_site", &S::solved_on_site});
    visit(CaseFieldSpec{"group", &S::group, set});
    visit(CaseFieldSpec{"message_id", &S::message_id, reg});
    visit(CaseFieldSpec{"content_hash", &S::content_hash, reg});
    visit(CaseFieldSpec{"attachments", &S::attachments, reg});
    visit(CaseFieldSpec{"body", &Case::body, reg, true, true});
    visit(CaseFieldSpec{"draft", &S::draft});
    visit(CaseFieldSpec{"replies", &S::replies, set});
}

// The kind of a key as the writer spells it: "sender.name" is the sender's.
FieldKind kind_of(std::string_view key);

} // namespace mailbox
