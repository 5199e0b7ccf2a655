// gen-mailbox: a synthetic mailbox for the benchmark (bench/run.sh).
//
//   gen-mailbox DIR N [--seed S] [--corpus FILE]
//
// Makes a new mailbox in DIR with the sample mailbox.toml and writes N case
// files straight into cases/YYYY/, as the tools would have left them after
// three years of use ending 2026-11-20: every status, units, co-units and
// leaders, linked groups (一稿多投), senders who write again, and a history
// entry for each step. The same seed gives the same bytes: random numbers
// never go through the standard distributions, whose output differs between
// standard libraries. With --corpus (a TSV of real messages: id, user,
// subject, time, body, category) a quarter of the letters take their
// subject and body from it; without, every letter is built from
// bench/phrases.hpp, so the default output depends on nothing outside.
#include "model/calendar.hpp"
#include "model/case.hpp"
#include "model/case_id.hpp"
#include "phrases.hpp"
#include "store/casefile.hpp"
#include "store/init.hpp"
#include "store/mailbox.hpp"
#include "util/error.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <map>
#include <numbers>
#include <random>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace mailbox;
using namespace mailbox::bench;

namespace {

// Moments are local seconds since the epoch in the office's zone, +08:00
// (China has no DST), which keeps the arithmetic of a whole lifecycle plain.
using Seconds = std::int64_t;
constexpr Seconds k_minute = 60, k_hour = 3600, k_day = 86400;
constexpr std::chrono::minutes k_offset{8 * 60};
constexpr std::string_view k_station = "BM";

Seconds at_midnight(Day d) {
    return date::local_days{d}.time_since_epoch().count() * k_day;
}
const Seconds k_end = at_midnight(date::year{2026} / 11 / 20) + 18 * k_hour;
const Seconds k_start = k_end - 3 * 365 * k_day;

Day day_of(Seconds s) {
    return Day{date::local_days{date::days{s / k_day}}};
}
Timestamp stamp(Seconds s) {
    return Timestamp{date::local_seconds{std::chrono::seconds{s}}, k_offset};
}

// Only uniform bits come from the engine; every shape is computed here, so
// a seed means the same mailbox with any standard library.
class Random {
  public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return uniform() < p; }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * n); }
    Seconds between(Seconds lo, Seconds hi) {
        return lo + static_cast<Seconds>(uniform() * (hi - lo));
    }
    double normal() {
        double u = 1.0 - uniform(); // (0, 1]: log is finite
        return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * std::numbers::pi * uniform());
    }
    double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
    std::uint64_t bits() { return m_engine(); }
    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }
    std::size_t weighted(const std::vector<double>& weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = uniform() * total;
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if ((x -= weights[i]) < 0) {
                return i;
            }
        }
        return weights.size() - 1;
    }

  private:
    std::mt19937_64 m_engine;
};

// The office registers and handles letters on workdays, 08:30 to 17:30; a
// moment outside those hours waits for the next opening, and the morning's
// backlog is worked through over the first hours.
Seconds office_time(Seconds s, Random& rng, const DeadlineRules& rules) {
    constexpr Seconds opens = 8 * k_hour + 30 * k_minute, closes = 17 * k_hour + 30 * k_minute;
    Seconds midnight = s / k_day * k_day;
    Seconds time_of_day = s - midnight;
    bool workday = is_workday(day_of(s), rules);
    if (workday && time_of_day >= opens && time_of_day < closes) {
        return s;
    }
    if (!workday || time_of_day >= closes) {
        do {
            midnight += k_day;
        } while (!is_workday(day_of(midnight), rules));
    }
    return midnight + opens + rng.between(0, 150 * k_minute);
}

// ---- letters ----

struct Letter {
    std::string subject;
    std::string body;
    std::string category;
    std::string local_unit; // the town or street office where it happened
};

struct Corpus {
    std::vector<Letter> letters;
};

// The corpus's first-level categories, as this office's categories.
std::string corpus_category(std::string_view name) {
    static const std::map<std::string_view, std::string_view> k_map{
        {"劳动和社会保障", "labor"}, {"城乡建设", "housing"},   {"教育文体", "edu"},
        {"卫生计生", "health"},      {"交通运输", "transport"}, {"商贸旅游", "econ"},
        {"环境保护", "env"}};
    auto it = k_map.find(name);
    return std::string(it == k_map.end() ? "simple" : it->second);
}

// Columns: id, user, subject, time, body, category; a header row first.
Corpus read_corpus(const fs::path& path) {
    std::ifstream in(path);
    if (!in) {
        throw UsageError(
            fmt::format("can't read the corpus '{}': {}", path.string(), std::strerror(errno)));
    }
    Corpus corpus;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        for (std::size_t start = 0;;) {
            std::size_t tab = line.find('\t', start);
            cols.push_back(line.substr(start, tab - start));
            if (tab == std::string::npos) {
                break;
            }
            start = tab + 1;
        }
        if (cols.size() >= 6 && !cols[2].empty() && !cols[4].empty()) {
            corpus.letters.push_back({cols[2], cols[4] + "\n", corpus_category(cols[5]), ""});
        }
    }
    return corpus;
}

std::size_t code_points(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
}

class LetterWriter {
  public:
    // A category's share is split evenly among its problems.
    LetterWriter(Random& rng, const Corpus* corpus) : m_rng(rng), m_corpus(corpus) {
        for (const Problem& p : k_problems) {
            auto same = [&](const auto& other) { return other.category == p.category; };
            auto cw = std::find_if(k_category_weights.begin(), k_category_weights.end(), same);
            auto count = std::count_if(k_problems.begin(), k_problems.end(), same);
            m_weights.push_back(cw == k_category_weights.end() ? 0 : cw->weight / count);
        }
    }

    Letter write() {
        if (m_corpus && !m_corpus->letters.empty() && m_rng.chance(0.25)) {
            return m_rng.pick(m_corpus->letters);
        }
        const Problem& problem = k_problems[m_rng.weighted(m_weights)];
        const Place& place = m_rng.pick(k_places);
        Letter letter;
        letter.category = problem.category;
        letter.local_unit = place.unit;
        // Most subjects start with where; those that name it need no prefix.
        std::string_view subject = m_rng.pick(problem.subjects);
        bool named = subject.find("{p}") != std::string_view::npos;
        letter.subject = (named || m_rng.chance(0.25) ? "" : std::string(place.brief)) +
                         fill(subject, place.brief);
        letter.body = body(problem, place);
        return letter;
    }

  private:
    // Median about 200 characters, a long tail of petitions up to 2,000.
    std::string body(const Problem& problem, const Place& place) {
        std::size_t target =
            static_cast<std::size_t>(std::clamp(m_rng.lognormal(150, 0.6), 30.0, 2000.0));
        std::vector<std::string> sentences;
        std::size_t length = 0;
        auto say = [&](std::string_view phrase) {
            sentences.push_back(fill(phrase, place.full));
            length += code_points(sentences.back());
        };
        bool greeted = m_rng.chance(0.6);
        if (greeted) {
            say(m_rng.pick(k_greetings));
        }
        if (target > 80 && m_rng.chance(0.7)) {
            say(m_rng.pick(k_intros));
        }
        for (std::string_view detail : problem.details) {
            say(detail);
            if (length >= target) {
                break;
            }
        }
        // Drawn as from a shuffled deck: no sentence twice until all were said.
        std::vector<std::size_t> deck;
        while (length < target) {
            if (deck.empty()) {
                for (std::size_t i = 0; i < k_fillers.size(); ++i) {
                    deck.push_back(i);
                }
            }
            std::size_t k = m_rng.below(deck.size());
            say(k_fillers[deck[k]]);
            deck.erase(deck.begin() + static_cast<std::ptrdiff_t>(k));
        }
        say(m_rng.pick(problem.asks));
        say(m_rng.pick(k_closings));
        // A paragraph every few sentences, as people write in a web form.
        std::string text;
        for (std::size_t i = 0; i < sentences.size(); ++i) {
            text += sentences[i];
            if (!sentences[i].empty() && ((i == 0 && greeted) || m_rng.chance(0.3))) {
                text += '\n';
            }
        }
        if (text.empty() || text.back() != '\n') {
            text += '\n';
        }
        return text;
    }

    std::string fill(std::string_view phrase, std::string_view place) {
        std::string out;
        for (std::size_t i = 0; i < phrase.size(); ++i) {
            if (phrase[i] == '{' && i + 2 < phrase.size() && phrase[i + 2] == '}') {
                switch (phrase[i + 1]) {
                case 'p':
                    out += place;
                    break;
                case 't':
                    out += m_rng.pick(k_spans);
                    break;
                case 'n':
                    out += m_rng.pick(k_counts);
                    break;
                case 'm':
                    out += m_rng.pick(k_sums);
                    break;
                case 'y':
                    out += m_rng.pick(k_years);
                    break;
                case 'a':
                    out += m_rng.pick(k_ages);
                    break;
                default:
                    out += phrase.substr(i, 3);
                }
                i += 2;
            } else {
                out += phrase[i];
            }
        }
        return out;
    }

    Random& m_rng;
    const Corpus* m_corpus;
    std::vector<double> m_weights; // per problem
};

// ---- the letters' arrival, senders and groups ----

struct Draft {
    Seconds received = 0;
    Seconds registered = 0; // the id's moment
    Channel channel = Channel::web;
    std::size_t sender = 0;
    Letter letter;
    std::string id;
    std::vector<std::size_t> group;   // the other cases holding the same letter
    std::optional<std::size_t> first; // the group's first case, for a later one
};

Channel pick_channel(Random& rng) {
    static const std::vector<double> k_weights{55, 15, 7, 5, 18}; // web email letter visit phone
    return static_cast<Channel>(rng.weighted(k_weights));
}

// Web and e-mail come at any hour, most in the day and the evening; the
// rest come while the office is open.
Seconds arrival(Random& rng, Channel channel, const DeadlineRules& rules) {
    static const std::vector<double> k_hours{1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 4, 6, 6, 5,
                                             3, 3,   5,   5,   4,   3,   3,   4, 5, 5, 4, 2};
    // More letters each year: density rising by 60% over the three years.
    constexpr double g = 0.6;
    double x = (std::sqrt(1 + 2 * g * (1 + g / 2) * rng.uniform()) - 1) / g;
    Seconds day = k_start / k_day * k_day + static_cast<Seconds>(x * 3 * 365) * k_day;
    if (channel == Channel::web || channel == Channel::email) {
        return day + static_cast<Seconds>(rng.weighted(k_hours)) * k_hour + rng.between(0, k_hour);
    }
    return office_time(day + rng.between(0, k_day), rng, rules);
}

std::vector<Draft> schedule(std::size_t n, Random& rng, const DeadlineRules& rules) {
    std::vector<Draft> drafts(n);
    for (Draft& d : drafts) {
        d.channel = pick_channel(rng);
        do {
            d.received = arrival(rng, d.channel, rules);
            bool by_voice = d.channel == Channel::phone || d.channel == Channel::visit;
            d.registered =
                by_voice ? d.received + rng.between(3 * k_minute, 30 * k_minute)
                         : office_time(d.received + rng.between(5 * k_minute, k_hour), rng, rules);
        } while (d.registered > k_end || d.received < k_start);
    }
    std::sort(drafts.begin(), drafts.end(),
              [](const Draft& a, const Draft& b) { return a.registered < b.registered; });
    // Ids count tenths of a second; one second apart keeps them distinct
    // and in registration order.
    for (std::size_t i = 1; i < n; ++i) {
        drafts[i].registered = std::max(drafts[i].registered, drafts[i - 1].registered + 1);
    }
    for (Draft& d : drafts) {
        Seconds midnight = d.registered / k_day * k_day;
        d.id = make_case_id({day_of(d.registered),
                             static_cast<std::uint32_t>((d.registered - midnight) * 10),
                             std::string(k_station)});
    }
    return drafts;
}

std::string phone_number(Random& rng) {
    static const std::vector<std::string_view> k_prefixes{"13", "15", "18", "17", "19"};
    return fmt::format("{}{:09}", rng.pick(k_prefixes), rng.bits() % 1000000000);
}

Sender new_sender(Random& rng, std::size_t serial, Channel channel, bool repeat) {
    const Surname& surname = rng.pick(k_surnames);
    Sender s;
    s.name = std::string(surname.hanzi) + std::string(rng.pick(k_given));
    if (rng.chance(0.6)) {
        s.name += rng.pick(k_given);
    }
    bool online = channel == Channel::web || channel == Channel::email;
    if (repeat || channel == Channel::email || (online && rng.chance(0.6))) {
        s.email = fmt::format("{}{}@{}", surname.pinyin, 1000 + serial, rng.pick(k_mail_domains));
    }
    if (repeat || channel == Channel::phone || rng.chance(0.75)) {
        s.phone = phone_number(rng);
    }
    return s;
}

// One letter in eight comes from someone who writes again (with the same
// e-mail and phone each time); one in 25 is anonymous.
std::vector<Sender> assign_senders(std::vector<Draft>& drafts, Random& rng) {
    std::vector<Sender> senders;
    std::vector<std::optional<std::size_t>> regulars(std::max<std::size_t>(1, drafts.size() / 30));
    for (Draft& d : drafts) {
        if (rng.chance(0.04)) {
            Sender s{std::string(rng.pick(k_anonymous)), "", ""};
            if (d.channel == Channel::phone && rng.chance(0.5)) {
                s.phone = phone_number(rng);
            }
            d.sender = senders.size();
            senders.push_back(std::move(s));
        } else if (rng.chance(0.12)) {
            auto& slot = regulars[rng.below(regulars.size())];
            if (!slot) {
                slot = senders.size();
                senders.push_back(new_sender(rng, senders.size(), d.channel, true));
            }
            d.sender = *slot;
        } else {
            d.sender = senders.size();
            senders.push_back(new_sender(rng, senders.size(), d.channel, false));
        }
    }
    return senders;
}

// About one letter in a hundred reaches the office again within days, by
// another channel or from a neighbour: those cases hold the same text and
// list each other in `group`.
void link_groups(std::vector<Draft>& drafts, Random& rng) {
    std::vector<bool> taken(drafts.size(), false);
    for (std::size_t i = 0; i < drafts.size(); ++i) {
        if (taken[i] || !rng.chance(0.01)) {
            continue;
        }
        std::size_t size = rng.chance(0.7) ? 2 : rng.chance(0.7) ? 3 : 4;
        std::vector<std::size_t> members{i};
        for (int tries = 0; members.size() < size && tries < 20; ++tries) {
            std::size_t j = i + 1 + rng.below(300);
            if (j < drafts.size() && !taken[j] &&
                std::find(members.begin(), members.end(), j) == members.end()) {
                members.push_back(j);
            }
        }
        if (members.size() < 2) {
            continue;
        }
        std::sort(members.begin(), members.end());
        for (std::size_t m : members) {
            taken[m] = true;
            Draft& d = drafts[m];
            if (m != i) {
                d.letter = drafts[i].letter;
                d.first = i;
                if (rng.chance(0.4)) {
                    d.sender = drafts[i].sender; // the same citizen, another channel
                }
            }
            for (std::size_t other : members) {
                if (other != m) {
                    d.group.push_back(other);
                }
            }
        }
    }
}

// ---- handling: what the office did with each letter ----

// How a case is to be handled, decided up front so that the cases of one
// group share it (统一口径).
struct Plan {
    std::string category;
    std::string suggested_category;
    std::string handler;
    std::vector<std::string> co_units;
    std::optional<std::string> leader;
    std::optional<std::string> instruction;
    Outcome outcome = Outcome::resolved;
};

Plan make_plan(const Draft& d, Random& rng, const Config& config) {
    Plan p;
    p.category = d.letter.category;
    p.suggested_category = p.category;
    if (rng.chance(0.15)) {
        p.suggested_category = config.categories[rng.below(config.categories.size())].id;
    }
    p.handler = config.find_category(p.category)->unit;
    static const std::vector<std::string_view> k_local{"city", "housing", "env", "civil",
                                                       "transport"};
    bool local = std::find(k_local.begin(), k_local.end(), p.category) != k_local.end();
    if (local && !d.letter.local_unit.empty() && rng.chance(0.35)) {
        p.co_units.push_back(p.handler); // the town handles it, the city office helps
        p.handler = d.letter.local_unit;
    }
    if (p.co_units.empty() && rng.chance(0.14)) {
        for (std::size_t k = rng.chance(0.25) ? 2 : 1; p.co_units.size() < k;) {
            const std::string& unit = config.units[rng.below(config.units.size())].id;
            if (unit != p.handler &&
                std::find(p.co_units.begin(), p.co_units.end(), unit) == p.co_units.end()) {
                p.co_units.push_back(unit);
            }
        }
    }
    if (p.category != "simple" && rng.chance(0.03)) {
        const Leader& leader = config.leaders[rng.below(config.leaders.size())];
        p.leader = leader.id;
        std::string text(rng.pick(k_instructions));
        p.instruction = text.replace(text.find("{l}"), 3, leader.name);
    }
    static const std::vector<double> k_outcomes{45, 30, 8, 10, 7};
    p.outcome = static_cast<Outcome>(rng.weighted(k_outcomes));
    return p;
}

enum class Step { none, assign, draft, approve, reject, send, feedback, feedback_and_close, close };

struct Event {
    Seconds at;
    Action action;
    std::string note;
    Step step = Step::none;
    Outcome outcome = Outcome::resolved; // of a draft
    bool satisfied = false;              // of feedback
};

// The lifecycle of one case as a list of events; the caller keeps those
// that happened by the end of the period.
class Lifecycle {
  public:
    Lifecycle(const Draft& d, const Plan& p, Random& rng, const DeadlineRules& rules)
        : m_draft(d), m_plan(p), m_rng(rng), m_rules(rules) {}

    // The letter's registration and its links.
    std::vector<Event> arrival(const std::vector<Draft>& drafts) {
        add(m_draft.registered, Action::received,
            fmt::format("registered from {}", to_string(m_draft.channel)));
        link(drafts);
        return std::move(m_events);
    }

    std::vector<Event> events(const std::vector<Draft>& drafts) {
        m_events = arrival(drafts);
        if (m_rng.chance(0.003)) {
            return std::move(m_events); // never assigned: forgotten in a pile
        }
        Seconds assigned = office(m_draft.registered + hours(2, 40));
        std::string note = "to " + m_plan.handler;
        for (std::size_t i = 0; i < m_plan.co_units.size(); ++i) {
            note += (i ? ", " : ", with ") + m_plan.co_units[i];
        }
        if (m_plan.leader) {
            note += ", led by " + *m_plan.leader;
        }
        add(assigned, Action::assign, note, Step::assign);
        bool simple = m_plan.category == "simple";
        double days = m_rng.lognormal(simple ? 3 : 6, 0.55);
        Seconds drafted = office(assigned + static_cast<Seconds>(days * k_day));
        bool stuck = m_rng.chance(0.006);
        chase(assigned, stuck ? k_end : drafted, simple ? 5 : 10);
        if (m_rng.chance(0.05)) {
            visit(assigned, drafted);
        }
        if (stuck) {
            return std::move(m_events); // never answered: very overdue
        }
        return reply(drafted);
    }

  private:
    Seconds hours(double lo, double hi) {
        return m_rng.between(static_cast<Seconds>(lo * k_hour), static_cast<Seconds>(hi * k_hour));
    }
    Seconds office(Seconds s) { return office_time(s, m_rng, m_rules); }
    Event& add(Seconds at, Action action, std::string note = {}, Step step = Step::none) {
        return m_events.emplace_back(Event{at, std::move(action), std::move(note), step});
    }

    // Each case of a group notes the link when the later one is registered.
    void link(const std::vector<Draft>& drafts) {
        for (std::size_t other : m_draft.group) {
            const Draft& o = drafts[other];
            add(std::max(o.registered, m_draft.registered) + 2 * k_minute, Action::link,
                "same letter as " + o.id);
        }
    }

    // 一天一催, 三天一督: the office chases every open case daily, but a
    // chase is recorded only once the limit draws near (three days before,
    // then every third day), and a late case is supervised every third
    // day; both capped, so a forgotten case stays readable.
    void chase(Seconds assigned, Seconds until, int limit_days) {
        Seconds due = assigned + limit_days * k_day;
        int chases = 0, supervisions = 0;
        for (Seconds t = due - 3 * k_day; t < until && chases < 3; t += 3 * k_day) {
            add(office(t + hours(0, 2)), Action::chase, "chased " + m_plan.handler);
            ++chases;
        }
        for (Seconds t = due + k_day; t < until && supervisions < 3; t += 3 * k_day) {
            add(office(t + hours(0, 2)), Action::supervise, "督办 " + m_plan.handler);
            ++supervisions;
        }
    }

    void visit(Seconds assigned, Seconds drafted) {
        Seconds at = office(assigned + hours(24, 96));
        if (at < drafted) {
            m_solved_on_site = m_rng.chance(0.4);
            add(at, Action::visit,
                std::string(m_solved_on_site ? k_visit_solved : m_rng.pick(k_visit_notes)));
        }
    }

    std::vector<Event> reply(Seconds drafted) {
        Outcome outcome = m_solved_on_site ? Outcome::resolved : m_plan.outcome;
        add(drafted, Action::draft, fmt::format("outcome {}", to_string(outcome)), Step::draft)
            .outcome = outcome;
        Seconds reviewed = office(drafted + hours(1, 20));
        if (m_rng.chance(0.12)) {
            add(reviewed, Action::reject, "round 1: " + std::string(m_rng.pick(k_reject_notes)),
                Step::reject);
            Seconds redrafted = office(reviewed + hours(12, 48));
            add(redrafted, Action::draft, fmt::format("outcome {}", to_string(outcome)),
                Step::draft)
                .outcome = outcome;
            reviewed = office(redrafted + hours(1, 20));
        }
        add(reviewed, Action::approve, "approved", Step::approve);
        Seconds sent = office(reviewed + hours(0.2, 4));
        add(sent, Action::reply, "sent to the sender", Step::send);
        bool lasting = outcome == Outcome::planned || outcome == Outcome::in_progress ||
                       outcome == Outcome::recurring;
        lasting ? track(sent) : await_feedback(sent, outcome);
        return std::move(m_events);
    }

    // The sender's feedback; on a case awaiting it, it also closes the case
    // (one entry, as `mailbox-reply feedback` records it).
    void feedback(Seconds at, double satisfied_share, Step step) {
        bool satisfied = m_rng.chance(satisfied_share);
        if (!satisfied) {
            step = Step::feedback; // an unsatisfied sender's case stays open to the office
        }
        add(at, Action::feedback,
            satisfied ? "satisfied"
                      : "unsatisfied: " + std::string(m_rng.pick(k_unsatisfied_notes)),
            step)
            .satisfied = satisfied;
    }

    void await_feedback(Seconds sent, Outcome outcome) {
        double roll = m_rng.uniform();
        if (roll < 0.65) {
            feedback(office(sent + hours(24, 240)), outcome == Outcome::resolved ? 0.92 : 0.65,
                     Step::feedback_and_close);
        } else if (roll < 0.9) {
            add(office(sent + hours(15 * 24, 30 * 24)), Action::close, "no feedback within 15 days",
                Step::close);
        }
    }

    // Planned, in-progress and recurring cases stay under tracking: a visit
    // note every month or two, and most are closed within the year.
    void track(Seconds sent) {
        Seconds closes = sent + m_rng.between(30, 300) * k_day;
        bool closed = m_rng.chance(0.65);
        Seconds t = sent;
        for (int i = 0; i < 3; ++i) {
            t = office(t + m_rng.between(30, 90) * k_day);
            if (closed && t >= closes) {
                break;
            }
            add(t, Action::track, std::string(m_rng.pick(k_track_notes)));
        }
        if (closed) {
            Seconds at = office(std::max(closes, t + k_day));
            if (m_rng.chance(0.5)) {
                feedback(at, 0.8, Step::feedback);
            }
            add(at + hours(0.1, 1), Action::close, "tracking done", Step::close);
        }
    }

    const Draft& m_draft;
    const Plan& m_plan;
    Random& m_rng;
    const DeadlineRules& m_rules;
    bool m_solved_on_site = false;
    std::vector<Event> m_events;
};

// The unit's answer as mailbox-reply draft writes it: a few sentences that
// name the letter, as the review requires.
mailbox::Draft generated_draft(const Case& c, const Event& e, Random& rng) {
    mailbox::Draft d;
    d.text = fmt::format("经我单位调查核实，您反映的“{}”问题情况属实。我单位收到交办后即组织人员"
                         "赴现场核查处置，{}。下一步将加强日常巡查，防止问题反复。",
                         c.subject, rng.pick(k_track_notes));
    d.outcome = e.outcome;
    d.unit = c.handler.value_or("");
    d.by = fmt::format("{}经办人", d.unit);
    d.at = stamp(e.at);
    d.rounds = c.draft ? c.draft->rounds : 0;
    return d;
}

// What mailbox-reply send records: the due date kept, on time or how late,
// one reply per sender.
void send(Case& c, const Timestamp& at, const Config& config) {
    std::optional<Day> due = due_day(c, config);
    Lateness late = lateness(c, config, at.day());
    c.due = due;
    c.replied = at;
    c.on_time = late == Lateness::none;
    if (late != Lateness::none) {
        c.late = late == Lateness::overdue ? "overdue" : "very-overdue";
    }
    c.outcome = c.draft->outcome;
    c.status = needs_tracking(*c.outcome) ? Status::tracking : Status::replied;
    if (!c.sender.email.empty()) {
        c.replies.push_back({ReplyVia::email, c.sender.email, at,
                             fmt::format("reply.{}.{}@example.gov.cn", c.id,
                                         date::format("%Y%m%dT%H%M%S", at.local))});
    } else {
        c.replies.push_back({ReplyVia::letter, c.sender.name, at, ""});
    }
}

// The cases of a group are handled as one (统一口径), as `mailbox-assign
// link` makes them: each has its own registration and links, then the
// lifecycle of the group's last letter, whose every action comes after all
// of them arrived, at the same times. `shared` holds it until that last
// case is made.
std::vector<Event> events_of(std::size_t i, const std::vector<Draft>& drafts, const Plan& plan,
                             Random& rng, const DeadlineRules& rules,
                             std::map<std::size_t, std::vector<Event>>& shared) {
    const Draft& d = drafts[i];
    if (d.group.empty()) {
        return Lifecycle(d, plan, rng, rules).events(drafts);
    }
    std::size_t last = std::max(i, *std::max_element(d.group.begin(), d.group.end()));
    auto group = shared.find(last);
    if (group == shared.end()) {
        group =
            shared.emplace(last, Lifecycle(drafts[last], plan, rng, rules).events(drafts)).first;
    }
    if (i == last) {
        std::vector<Event> events = std::move(group->second);
        shared.erase(group);
        return events;
    }
    std::vector<Event> events = Lifecycle(d, plan, rng, rules).arrival(drafts);
    for (const Event& e : group->second) {
        if (e.action != Action::received && e.action != Action::link) {
            events.push_back(e);
        }
    }
    return events;
}

Case make_case(std::size_t i, const std::vector<Draft>& drafts, const Sender& sender,
               const Plan& plan, Random& rng, const Config& config,
               std::map<std::size_t, std::vector<Event>>& shared) {
    const Draft& d = drafts[i];
    Case c;
    c.id = d.id;
    c.received = stamp(d.received);
    c.channel = d.channel;
    c.subject = d.letter.subject;
    c.sender = sender;
    c.suggested_category = plan.suggested_category;
    c.suggested_unit = config.find_category(plan.suggested_category)->unit;
    c.body = d.letter.body;
    for (std::size_t other : d.group) {
        c.group.push_back(drafts[other].id);
    }
    std::sort(c.group.begin(), c.group.end());
    if (d.channel == Channel::email) {
        c.message_id =
            fmt::format("<{}.{}@{}>", crockford(rng.bits(), 10), d.registered,
                        sender.email.empty() ? "mail.example.com"
                                             : sender.email.substr(sender.email.find('@') + 1));
    }
    if ((d.channel == Channel::web || d.channel == Channel::email) && rng.chance(0.04)) {
        c.attachments.push_back({"现场照片1.jpg", rng.between(200'000, 3'000'000), {}});
        if (rng.chance(0.3)) {
            c.attachments.push_back({"情况说明.docx", rng.between(20'000, 100'000), {}});
        }
    }

    std::string registrar(rng.pick(k_clerks));
    std::vector<Event> events = events_of(i, drafts, plan, rng, config.deadline, shared);
    std::stable_sort(events.begin(), events.end(),
                     [](const Event& a, const Event& b) { return a.at < b.at; });
    for (const Event& e : events) {
        if (e.at > k_end) {
            break;
        }
        switch (e.step) {
        case Step::none:
            break;
        case Step::assign:
            c.status = Status::assigned;
            c.assigned = stamp(e.at);
            c.category = plan.category;
            c.handler = plan.handler;
            c.co_units = plan.co_units;
            c.leader = plan.leader;
            c.instruction = plan.instruction;
            break;
        case Step::draft:
            c.draft = generated_draft(c, e, rng);
            break;
        case Step::approve:
        case Step::reject:
            c.draft->state = e.step == Step::approve ? DraftState::approved : DraftState::rejected;
            c.draft->rounds += 1;
            c.draft->reviewer = rng.pick(k_clerks);
            if (e.step == Step::reject) {
                c.rejections.push_back(c.draft->unit);
            }
            break;
        case Step::send:
            send(c, stamp(e.at), config);
            break;
        case Step::feedback:
            c.feedback = e.satisfied ? Feedback::satisfied : Feedback::unsatisfied;
            break;
        case Step::feedback_and_close:
            // A fifth of the satisfied say "basically" (基本满意).
            c.feedback = rng.chance(0.2) ? Feedback::basically_satisfied : Feedback::satisfied;
            [[fallthrough]];
        case Step::close:
            c.status = Status::closed;
            c.closed = stamp(e.at);
            break;
        }
        std::string by(e.action == Action::received ? registrar : rng.pick(k_clerks));
        append_history(c, stamp(e.at), std::move(by), e.action, e.note);
    }
    if (c.status == Status::closed) {
        // A closed case keeps the due date it was closed with.
        if (auto due = due_date(c, config)) {
            c.due = due->day;
        }
    }
    return c;
}

void write_plainly(const fs::path& path, std::string_view data) {
    // Test data: no fsync, unlike the tools; 100,000 of them would take
    // longer than all that is measured.
    int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        throw_errno("can't create '" + path.string() + "'");
    }
    while (!data.empty()) {
        ssize_t n = write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            throw_errno("can't write '" + path.string() + "'");
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    close(fd);
}

std::size_t generate(const fs::path& dir, std::size_t n, std::uint64_t seed, const Corpus* corpus) {
    init_mailbox(dir, false);
    Mailbox box(dir);
    const Config& config = box.config();
    Random rng(seed);
    std::vector<Draft> drafts = schedule(n, rng, config.deadline);
    LetterWriter writer(rng, corpus);
    for (Draft& d : drafts) {
        d.letter = writer.write();
    }
    std::vector<Sender> senders = assign_senders(drafts, rng);
    link_groups(drafts, rng);
    std::vector<Plan> plans;
    plans.reserve(n);
    for (const Draft& d : drafts) {
        plans.push_back(d.first ? plans[*d.first] : make_plan(d, rng, config));
    }
    std::size_t bytes = 0;
    std::string made_folder;
    std::map<std::size_t, std::vector<Event>> shared; // groups' handling
    for (std::size_t i = 0; i < n; ++i) {
        Case c = make_case(i, drafts, senders[drafts[i].sender], plans[i], rng, config, shared);
        fs::path path = box.absolute(box.case_path(c.id));
        if (path.parent_path() != made_folder) {
            fs::create_directories(path.parent_path());
            made_folder = path.parent_path();
        }
        std::string text = write_case(c);
        write_plainly(path, text);
        bytes += text.size();
    }
    return bytes;
}

[[noreturn]] void usage(const std::string& why) {
    throw UsageError(why + "; usage: gen-mailbox DIR N [--seed S] [--corpus FILE]");
}

template <typename T>
T number(std::string_view text, std::string_view what) {
    T v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
        usage(fmt::format("{} '{}': expected a whole number", what, text));
    }
    return v;
}

} // namespace

int main(int argc, char** argv) {
    try {
        std::vector<std::string_view> args(argv + 1, argv + argc);
        std::vector<std::string_view> positional;
        std::uint64_t seed = 1;
        std::optional<fs::path> corpus_path;
        for (std::size_t i = 0; i < args.size(); ++i) {
            if ((args[i] == "--seed" || args[i] == "--corpus") && i + 1 == args.size()) {
                usage(fmt::format("{} needs a value", args[i]));
            }
            if (args[i] == "--seed") {
                seed = number<std::uint64_t>(args[++i], "--seed");
            } else if (args[i] == "--corpus") {
                corpus_path = fs::path(args[++i]);
            } else if (args[i].starts_with("-")) {
                usage(fmt::format("unknown option '{}'", args[i]));
            } else {
                positional.push_back(args[i]);
            }
        }
        if (positional.size() != 2) {
            usage("expected DIR and N");
        }
        auto n = number<std::size_t>(positional[1], "N");
        std::optional<Corpus> corpus;
        if (corpus_path) {
            corpus = read_corpus(*corpus_path);
        }
        fs::path dir(positional[0]);
        std::size_t bytes = generate(dir, n, seed, corpus ? &*corpus : nullptr);
        std::cerr << fmt::format("gen-mailbox: {} case{}, {:.1f} MB of case files, in {}\n", n,
                                 n == 1 ? "" : "s", bytes / 1e6, dir.string());
        return 0;
    } catch (const Error& e) {
        std::cerr << "gen-mailbox: " << e.what() << '\n';
        return static_cast<int>(e.exit_code());
    } catch (const std::exception& e) {
        std::cerr << "gen-mailbox: " << e.what() << '\n';
        return static_cast<int>(Exit::data);
    }
}
