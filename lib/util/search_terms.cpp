#include "util/search_terms.hpp"

#include "util/text.hpp"

#include <cstdlib>
#include <memory>
#include <utf8proc.h>

namespace mailbox {

namespace {

bool is_han(utf8proc_int32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F) || cp == 0x3007;
}

// A stretch of Han characters (each kept apart) or of other letters and
// digits (one word), as views into the folded text.
struct Run {
    bool han = false;
    std::vector<std::string_view> chars;
    std::string_view word;
};

// Calls f(run) for each run of the folded text, in order; the views live
// only during the call.
template <typename F>
void each_run(std::string_view text, F f) {
    utf8proc_uint8_t* folded = nullptr;
    auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                                                  UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                      static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
    if (n < 0) {
        return; // not UTF-8: intake refuses such text before it is stored
    }
    std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(folded, &std::free);
    std::string_view all(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
    Run run;
    bool in_run = false;
    auto flush = [&] {
        if (in_run) {
            f(run);
        }
        in_run = false;
    };
    for (std::size_t i = 0; i < all.size();) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len =
            utf8proc_iterate(folded + i, n - static_cast<utf8proc_ssize_t>(i), &cp);
        if (len <= 0) {
            break;
        }
        std::string_view bytes = all.substr(i, static_cast<std::size_t>(len));
        i += static_cast<std::size_t>(len);
        bool han = is_han(cp);
        if (!han && !is_letter_or_digit(cp)) {
            flush();
            continue;
        }
        if (in_run && run.han != han) {
            flush();
        }
        if (!in_run) {
            run.han = han;
            run.chars.clear();
            run.word = bytes.substr(0, 0);
            in_run = true;
        }
        if (han) {
            run.chars.push_back(bytes);
        } else {
            run.word = std::string_view(run.word.data(), run.word.size() + bytes.size());
        }
    }
    flush();
}

// A run kept after each_run returns: a query's, which is short.
struct OwnedRun {
    bool han = false;
    std::vector<std::string> chars;
    std::string word;
};

// The terms of one run, each given to `out` as it is made.
template <typename R, typename Out>
void run_terms(const R& r, Out out, bool with_last = true) {
    if (!r.han) {
        out(std::string_view(r.word));
        return;
    }
    std::string pair;
    for (std::size_t i = 0; i + 1 < r.chars.size(); ++i) {
        pair.assign(r.chars[i]);
        pair += r.chars[i + 1];
        out(std::string_view(pair));
    }
    if (with_last) {
        out(std::string_view(r.chars.back()));
    }
}

std::vector<std::string_view> query_parts(std::string_view query) {
    std::vector<std::string_view> parts;
    constexpr std::string_view k_wide_space = "\u3000";
    std::size_t start = 0;
    for (std::size_t i = 0; i <= query.size();) {
        std::size_t gap = 0;
        if (i == query.size()) {
            gap = 1;
        } else if (query[i] == ' ' || query[i] == '\t' || query[i] == '\n' || query[i] == '\r') {
            gap = 1;
        } else if (query.substr(i).starts_with(k_wide_space)) {
            gap = k_wide_space.size();
        }
        if (gap) {
            if (i > start) {
                parts.push_back(query.substr(start, i - start));
            }
            start = i + gap;
            i += gap;
        } else {
            ++i;
        }
    }
    return parts;
}

} // namespace

std::vector<std::string> search_terms(std::string_view text) {
    std::vector<std::string> out;
    each_run(text,
             [&](const Run& r) { run_terms(r, [&](std::string_view t) { out.emplace_back(t); }); });
    return out;
}

std::string joined_search_terms(std::string_view text) {
    std::string out;
    out.reserve(text.size() * 2);
    each_run(text, [&](const Run& r) {
        run_terms(r, [&](std::string_view t) {
            if (!out.empty()) {
                out += ' ';
            }
            out += t;
        });
    });
    return out;
}

std::string search_match(std::string_view query) {
    std::string match;
    for (std::string_view part : query_parts(query)) {
        std::vector<OwnedRun> runs;
        each_run(part, [&](const Run& r) {
            runs.push_back({r.han, {r.chars.begin(), r.chars.end()}, std::string(r.word)});
        });
        std::string phrase;
        bool prefix = false;
        for (std::size_t i = 0; i < runs.size(); ++i) {
            bool last = i + 1 == runs.size();
            // The text's run ends where this one does only when the part goes
            // on after it; a lone character that ends the part may begin a
            // pair in the text.
            bool lone = runs[i].han && runs[i].chars.size() == 1;
            run_terms(
                runs[i],
                [&](std::string_view t) {
                    phrase += phrase.empty() ? "" : " ";
                    phrase += t; // letters, digits and Han only: never a quote
                },
                !last || lone);
            prefix = last && lone;
        }
        if (phrase.empty()) {
            continue;
        }
        match += match.empty() ? "" : " AND ";
        match += "\"" + phrase + "\"" + (prefix ? "*" : "");
    }
    return match;
}

} // namespace mailbox
