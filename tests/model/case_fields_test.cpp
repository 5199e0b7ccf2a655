#include "model/case_fields.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("a key's kind is its field's") {
    CHECK(kind_of("subject") == FieldKind::registration);
    CHECK(kind_of("sender.phone") == FieldKind::registration);
    CHECK(kind_of("draft.text") == FieldKind::handling);
    CHECK(kind_of("status") == FieldKind::handling);
    CHECK(kind_of("replies") == FieldKind::set);
    CHECK(kind_of("no_such_key") == FieldKind::handling);
}
