#include "format/mime_module.hpp"
#include "util/error.hpp"
#include "util/i18n.hpp"

#include <dlfcn.h>
#include <filesystem>
#include <fmt/format.h>
#include <mutex>

namespace mailbox {

namespace {

// The module lies in LIBDIR/mailbox/, MAILBOX_MODULE_PATH (worked out by
// CMake) from the folder of the program that loads it, in a build tree as
// once installed. Its path is made from the program's own folder (the
// linker's $ORIGIN), not looked up, so a command never loads another
// build's, and a sanitizer that wraps dlopen (and so would look with its own
// RUNPATH) finds it all the same. Empty when the program cannot tell where
// it is.
std::string module_path() {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return "";
    }
    return (self.parent_path() / MAILBOX_MODULE_PATH).lexically_normal().string();
}

const MimeFunctions& loaded() {
    static const MimeFunctions* functions = nullptr;
    static std::string failure;
    static std::once_flag once;
    std::call_once(once, [] {
        std::string path = module_path();
        if (path.empty()) {
            failure = _("cannot read or write mail: cannot tell where mailbox-mime.so is: "
                        "/proc/self/exe cannot be read");
            return;
        }
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            failure = tr("cannot read or write mail: {}", dlerror());
            return;
        }
        auto entry =
            reinterpret_cast<const MimeFunctions* (*)()>(dlsym(handle, "mailbox_mime_functions"));
        const MimeFunctions* f = entry ? entry() : nullptr;
        if (!f || f->version != k_mime_version || f->sizes != k_mime_sizes) {
            failure = tr("cannot read or write mail: {} is of another build of mailbox", path);
            return;
        }
        functions = f;
    });
    if (!functions) {
        throw SystemError(failure);
    }
    return *functions;
}

// Calls a function of the module, throwing again what it threw there.
template <typename F, typename... Args>
auto call(F MimeFunctions::*function, Args&&... args) {
    MimeFailure failure;
    auto result = (loaded().*function)(std::forward<Args>(args)..., failure);
    switch (failure.kind) {
    case MimeFailure::Kind::none:
        break;
    case MimeFailure::Kind::usage:
        throw UsageError(failure.message);
    case MimeFailure::Kind::system:
        throw SystemError(failure.message);
    }
    return result;
}

} // namespace

std::vector<MailItem> read_mail_file(const std::filesystem::path& path, const std::string& display,
                                     const date::time_zone* zone) {
    return call(&MimeFunctions::read_mail_file, path, display, zone);
}

std::string decode_header_text(std::string_view raw) {
    return call(&MimeFunctions::decode_header_text, raw);
}

std::optional<ParsedMail> parse_message(std::string_view text) {
    return call(&MimeFunctions::parse_message, text);
}

std::string build_message(const OutgoingMail& mail) {
    return call(&MimeFunctions::build_message, mail);
}

std::string html_to_text(std::string_view html) {
    return call(&MimeFunctions::html_to_text, html);
}

std::string ParsedMail::header(std::string_view name) const {
    auto lower = [](unsigned char ch) { return ch >= 'A' && ch <= 'Z' ? ch + 32 : ch; };
    for (const auto& [n, v] : headers) {
        if (std::equal(n.begin(), n.end(), name.begin(), name.end(),
                       [&](char a, char b) { return lower(a) == lower(b); })) {
            return v;
        }
    }
    return "";
}

} // namespace mailbox
