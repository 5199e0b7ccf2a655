#include "merge/case_merge.hpp"

#include "store/casefile.hpp"
#include "util/i18n.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace mailbox {

namespace {

using Text = std::optional<std::string>;

struct Version {
    std::optional<Case> c; // none: the missing base of an add/add
    std::map<std::string, std::string> fields;

    Text field(const std::string& key) const {
        auto it = fields.find(key);
        return it == fields.end() ? Text{} : Text{it->second};
    }
};

std::optional<Version> read_version(std::string_view text, const std::string& name,
                                    bool may_be_missing) {
    Version v;
    if (may_be_missing && trimmed(text).empty()) {
        return v;
    }
    CaseParse p = parse_case_text(text, name);
    if (!p.value || !p.problems.empty()) {
        return std::nullopt;
    }
    for (CaseField& f : case_fields(*p.value)) {
        v.fields.emplace(std::move(f.key), std::move(f.text));
    }
    v.c = std::move(p.value);
    return v;
}

// Two clones with one station that registered in the same tenth of a second
// gave two different letters one id: no merge may make them one case.

// A three-way merge of sets of records: a record stays when both sides have
// it or one side added it, and goes when one side removed it from the base.
// `key` tells records apart, `text` tells two versions of one record apart.
// The order is a side's own when the result is exactly that side's set, else
// `less`: both sides are treated alike.
template <class T, class Key, class TextOf, class Less>
std::vector<T> merge_records(const std::vector<T>& base, const std::vector<T>& a,
                             const std::vector<T>& b, Key key, TextOf text, Less less) {
    auto by_key = [&](const std::vector<T>& v) {
        std::map<std::string, const T*> m;
        for (const T& x : v) {
            m.emplace(key(x), &x);
        }
        return m;
    };
    auto mo = by_key(base), ma = by_key(a), mb = by_key(b);
    std::map<std::string, const T*> kept;
    for (const auto* side : {&ma, &mb}) {
        for (const auto& [k, x] : *side) {
            bool in_a = ma.contains(k), in_b = mb.contains(k), in_o = mo.contains(k);
            if (!((in_a && in_b) || (!in_o && (in_a || in_b)))) {
                continue;
            }
            const T* pa = in_a ? ma[k] : nullptr;
            const T* pb = in_b ? mb[k] : nullptr;
            const T* chosen = pa ? pa : pb;
            if (pa && pb && text(*pa) != text(*pb)) {
                // One record edited: take the edit; edited on both sides:
                // the smaller, so that the choice is the same either way.
                const T* po = in_o ? mo[k] : nullptr;
                if (po && text(*pa) == text(*po)) {
                    chosen = pb;
                } else if (!(po && text(*pb) == text(*po)) && text(*pb) < text(*pa)) {
                    chosen = pb;
                }
            }
            kept[k] = chosen;
        }
    }
    auto same_keys = [&](const std::map<std::string, const T*>& side) {
        return side.size() == kept.size() &&
               std::equal(side.begin(), side.end(), kept.begin(),
                          [](const auto& x, const auto& y) { return x.first == y.first; });
    };
    auto same_order = [&] {
        return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                          [&](const T& x, const T& y) { return key(x) == key(y); });
    };
    bool as_a = same_keys(ma), as_b = same_keys(mb);
    const std::vector<T>* order = nullptr;
    if (as_a && (!as_b || same_order())) {
        order = &a;
    } else if (as_b && !as_a) {
        order = &b;
    }
    std::vector<T> out;
    if (order) {
        for (const T& x : *order) {
            out.push_back(*kept[key(x)]);
        }
        return out;
    }
    for (const auto& [k, x] : kept) {
        out.push_back(*x);
    }
    std::stable_sort(out.begin(), out.end(), less);
    return out;
}

std::string entry_text(const HistoryEntry& e) {
    return fmt::format("{}\n{}\n{}\n{}", e.at.iso(), e.by, e.action_name(), e.note);
}

std::vector<HistoryEntry> merge_history(const std::vector<HistoryEntry>& base,
                                        const std::vector<HistoryEntry>& a,
                                        const std::vector<HistoryEntry>& b) {
    return merge_records(
        base, a, b, [](const HistoryEntry& e) { return e.id; }, entry_text,
        [](const HistoryEntry& x, const HistoryEntry& y) {
            return std::pair(x.at.sys(), x.id) < std::pair(y.at.sys(), y.id);
        });
}

// The set fields, merged record by record and written back as the writer
// would write them.
std::map<std::string, Text> merge_set_fields(const Version& o, const CaseSummary& a,
                                             const CaseSummary& b) {
    Case empty;
    const CaseSummary& base = o.c ? *o.c : empty;
    auto ident = [](const std::string& s) { return s; };
    Case merged;
    merged.group = merge_records(base.group, a.group, b.group, ident, ident, std::less<>());
    auto ext_text = [](const Extension& e) {
        return fmt::format("{}\n{}\n{}\n{}", e.at.iso(), e.approved_by, e.days, e.reason);
    };
    merged.extensions = merge_records(base.extensions, a.extensions, b.extensions, ext_text,
                                      ext_text, [&](const Extension& x, const Extension& y) {
                                          return std::pair(x.at.sys(), ext_text(x)) <
                                                 std::pair(y.at.sys(), ext_text(y));
                                      });
    auto reply_text = [](const Reply& r) {
        return fmt::format("{}\n{}\n{}\n{}", r.at.iso(), to_string(r.via), r.to, r.message_id);
    };
    merged.replies = merge_records(base.replies, a.replies, b.replies, reply_text, reply_text,
                                   [&](const Reply& x, const Reply& y) {
                                       return std::pair(x.at.sys(), reply_text(x)) <
                                              std::pair(y.at.sys(), reply_text(y));
                                   });
    std::map<std::string, Text> out{{"group", {}}, {"extensions", {}}, {"replies", {}}};
    for (CaseField& f : case_fields(merged)) {
        if (out.contains(f.key)) {
            out[f.key] = std::move(f.text);
        }
    }
    return out;
}

enum class Side { none, ours, theirs };

// A chase, a supervision or a digest round only adds its entry: a side that
// did nothing else since the base did not change the handling, however late
// its round.
bool changes_handling(const HistoryEntry& e) {
    return e.action != Action::chase && e.action != Action::supervise && e.action != Action::digest;
}

// The side whose own newest entry (one the other side lacks) is the later:
// its handling state is the one the most recent action left.
Side later_side(const std::vector<HistoryEntry>& base, const std::vector<HistoryEntry>& a,
                const std::vector<HistoryEntry>& b, const HistoryEntry** latest) {
    std::set<std::string> seen;
    for (const HistoryEntry& e : base) {
        seen.insert(e.id);
    }
    auto own_latest = [&](const std::vector<HistoryEntry>& side,
                          const std::vector<HistoryEntry>& other) -> const HistoryEntry* {
        std::set<std::string> others;
        for (const HistoryEntry& e : other) {
            others.insert(e.id);
        }
        const HistoryEntry* best = nullptr;
        for (const HistoryEntry& e : side) {
            if (seen.contains(e.id) || others.contains(e.id) || !changes_handling(e)) {
                continue;
            }
            if (!best || std::pair(e.at.sys(), e.id) > std::pair(best->at.sys(), best->id)) {
                best = &e;
            }
        }
        return best;
    };
    const HistoryEntry* la = own_latest(a, b);
    const HistoryEntry* lb = own_latest(b, a);
    if (!la && !lb) {
        return Side::none;
    }
    if (!lb || (la && std::pair(la->at.sys(), la->id) > std::pair(lb->at.sys(), lb->id))) {
        *latest = la;
        return Side::ours;
    }
    *latest = lb;
    return Side::theirs;
}

struct FieldMerge {
    std::string key;
    Text value;            // when settled
    bool conflict = false; // both sides changed it, to different values
    Text ours, theirs, base;
};

FieldMerge merge_field(const std::string& key, const Version& o, const Version& a,
                       const Version& b) {
    FieldMerge m{key, {}, false, a.field(key), b.field(key), o.field(key)};
    if (m.ours == m.theirs || m.theirs == m.base) {
        m.value = m.ours;
    } else if (m.ours == m.base) {
        m.value = m.theirs;
    } else {
        m.conflict = true;
    }
    return m;
}

std::vector<std::string> keys_in_order(const Version& o, const Version& a, const Version& b) {
    std::set<std::string> keys;
    for (const Version* v : {&o, &a, &b}) {
        for (const auto& [k, text] : v->fields) {
            keys.insert(k);
        }
    }
    std::vector<std::string> out;
    for (const std::string& k : case_field_order()) {
        if (keys.erase(k)) {
            out.push_back(k);
        }
    }
    out.insert(out.end(), keys.begin(), keys.end()); // none, while the order is whole
    return out;
}

class Merger {
  public:
    Merger(const Version& o, const Version& a, const Version& b, const CaseMergeOptions& opt)
        : m_o(o), m_a(a), m_b(b), m_opt(opt) {}

    std::optional<CaseMerge> run() {
        const std::vector<HistoryEntry> none;
        const std::vector<HistoryEntry>& base_history = m_o.c ? m_o.c->history : none;
        std::vector<HistoryEntry> history =
            merge_history(base_history, m_a.c->history, m_b.c->history);
        std::vector<FieldMerge> fields = merge_fields();
        settle_handling(fields, base_history);
        std::vector<CaseField> out;
        for (FieldMerge& f : fields) {
            if (f.conflict) {
                settle_conflict(f, out);
            } else if (f.value) {
                out.push_back({f.key, *f.value});
            }
        }
        m_result.text = assemble_case(m_a.c->id, out, history);
        if (m_result.conflicts == 0) {
            CaseParse p = parse_case_text(m_result.text, "merged");
            if (!p.value || !p.problems.empty()) {
                return std::nullopt;
            }
            m_result.text = write_case(*p.value);
        }
        return std::move(m_result);
    }

  private:
    std::vector<FieldMerge> merge_fields() {
        std::map<std::string, Text> sets = merge_set_fields(m_o, *m_a.c, *m_b.c);
        std::vector<FieldMerge> fields;
        for (const std::string& key : keys_in_order(m_o, m_a, m_b)) {
            if (kind_of(key) == FieldKind::set) {
                FieldMerge f{key, sets[key], false, {}, {}, {}};
                fields.push_back(std::move(f));
            } else {
                fields.push_back(merge_field(key, m_o, m_a, m_b));
            }
        }
        return fields;
    }

    // When both sides changed the handling differently (one assigned, the
    // other returned), no field-by-field mix is a state the office was ever
    // in: the whole handling state is taken from the side of the later action,
    // and both sides' entries stay in the history to say what happened.
    void settle_handling(std::vector<FieldMerge>& fields, const std::vector<HistoryEntry>& base) {
        std::vector<std::string> disputed;
        for (const FieldMerge& f : fields) {
            if (f.conflict && kind_of(f.key) == FieldKind::handling) {
                disputed.push_back(f.key);
            }
        }
        if (disputed.empty()) {
            return;
        }
        const HistoryEntry* latest = nullptr;
        Side side = later_side(base, m_a.c->history, m_b.c->history, &latest);
        if (side == Side::none) {
            return; // hand edits on both sides: only a person can choose
        }
        const Version& winner = side == Side::ours ? m_a : m_b;
        for (FieldMerge& f : fields) {
            if (kind_of(f.key) == FieldKind::handling) {
                f.value = winner.field(f.key);
                f.conflict = false;
            }
        }
        const std::string& label = side == Side::ours ? m_opt.ours_label : m_opt.theirs_label;
        m_result.notes.push_back(
            tr("both sides changed the handling ({}); kept the handling of {}, the side of the "
               "later action: {} {} by {}",
               fmt::format("{}", fmt::join(disputed, C_("list separator", ", "))), label,
               latest->action_name(), latest->at.iso(), latest->by));
    }

    void settle_conflict(const FieldMerge& f, std::vector<CaseField>& out) {
        if (m_opt.recursive) {
            // No base value (both added it): the smaller, the same either way.
            Text keep = f.base ? f.base : std::min(f.ours, f.theirs);
            if (keep) {
                out.push_back({f.key, *keep});
            }
            return;
        }
        std::size_t n = static_cast<std::size_t>(m_opt.marker_size);
        auto label = [](const std::string& l) { return l.empty() ? l : " " + l; };
        std::string block = std::string(n, '<') + label(m_opt.ours_label) + "\n" +
                            f.ours.value_or("") + std::string(n, '=') + "\n" +
                            f.theirs.value_or("") + std::string(n, '>') +
                            label(m_opt.theirs_label) + "\n";
        out.push_back({f.key, block});
        ++m_result.conflicts;
        m_result.notes.push_back(tr("both sides changed {}: left between markers", f.key));
    }

    const Version& m_o;
    const Version& m_a;
    const Version& m_b;
    const CaseMergeOptions& m_opt;
    CaseMerge m_result;
};

} // namespace

std::optional<CaseMerge> merge_case_files(std::string_view base, std::string_view ours,
                                          std::string_view theirs,
                                          const CaseMergeOptions& options) {
    std::optional<Version> o = read_version(base, "base", true);
    std::optional<Version> a = read_version(ours, "ours", false);
    std::optional<Version> b = read_version(theirs, "theirs", false);
    if (!o || !a || !b) {
        return std::nullopt;
    }
    if (!o->c && is_id_collision(ours, theirs)) {
        CaseMerge m;
        m.text = std::string(ours);
        m.collision = !options.recursive;
        if (m.collision) {
            m.notes.push_back(
                tr("two different letters were registered as {} (two clones with one station); "
                   "kept {} here: give one its own id with 'mailbox-intake renumber {}'",
                   a->c->id, options.ours_label, a->c->id));
        }
        return m;
    }
    return Merger(*o, *a, *b, options).run();
}

} // namespace mailbox
