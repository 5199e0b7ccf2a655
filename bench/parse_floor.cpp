// parse-floor DIR THREADS: reads and parses every case file under DIR/cases
// with toml++ on THREADS threads and does nothing with them: the least a
// cold whole-mailbox command must do, the floor run.sh sets its cold runs
// against. Prints how many files parsed and how many did not.
#include <atomic>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <toml++/toml.h>
#include <vector>

namespace fs = std::filesystem;

int main(int argc, char** argv) {
    unsigned threads = 0;
    if (argc != 3 ||
        std::from_chars(argv[2], argv[2] + std::strlen(argv[2]), threads).ec != std::errc() ||
        threads == 0) {
        std::cerr << "usage: parse-floor DIR THREADS\n";
        return 2;
    }
    std::vector<fs::path> files;
    for (const auto& year : fs::directory_iterator(fs::path(argv[1]) / "cases")) {
        if (!year.is_directory()) {
            continue;
        }
        for (const auto& f : fs::directory_iterator(year.path())) {
            if (f.path().extension() == ".toml") {
                files.push_back(f.path());
            }
        }
    }
    std::atomic<std::size_t> next{0}, parsed{0}, failed{0};
    auto work = [&] {
        for (std::size_t i; (i = next++) < files.size();) {
            std::ifstream in(files[i], std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            try {
                toml::table t = toml::parse(text.str(), files[i].string());
                ++parsed;
            } catch (const toml::parse_error&) {
                ++failed;
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
        pool.emplace_back(work);
    }
    work();
    for (std::thread& t : pool) {
        t.join();
    }
    std::cout << parsed << " parsed, " << failed << " not\n";
    return 0;
}
