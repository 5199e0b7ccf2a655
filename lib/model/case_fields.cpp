#include "model/case_fields.hpp"

namespace mailbox {

FieldKind kind_of(std::string_view key) {
    std::string_view field = key.substr(0, key.find('.'));
    FieldKind kind = FieldKind::handling;
    each_case_field([&](const auto& f) {
        if (f.key == field) {
            kind = f.kind;
        }
    });
    return kind;
}

} // namespace mailbox
