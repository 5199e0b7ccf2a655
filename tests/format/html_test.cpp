#include "format/html.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace mailbox;

TEST_CASE("html becomes readable text") {
    CHECK(html_to_text("<html><head><title>t</title><style>p{}</style></head><body>"
                       "<p>第一段&nbsp;a&amp;b</p><div>第二段<br>下一行</div></body></html>") ==
          "第一段 a&b\n第二段\n下一行\n");
}

TEST_CASE("numeric entities are decoded, as Outlook writes GBK-only characters") {
    CHECK(html_to_text("<p>&#38149;&#x9555;基&#37329;</p>") == "锅镕基金\n");
}

TEST_CASE("white space collapses as a browser shows it, except in pre") {
    CHECK(html_to_text("<p>  一\n  二\t\t三  </p>\n\n\n<p>四</p>") == "一 二 三\n四\n");
    CHECK(html_to_text("<pre>a  b\n  c</pre>") == "a  b\n  c\n");
    CHECK(
        html_to_text("<table><tr><td>姓名</td><td>张三</td></tr><tr><td>电话</td></tr></table>") ==
        "姓名 张三\n电话\n");
}

TEST_CASE("what scripts, styles and comments hold is no text") {
    CHECK(html_to_text("<script>alert(1)</script><!-- 注释 --><noscript>x</noscript>正文") ==
          "正文\n");
}

TEST_CASE("broken markup is read as a browser would") {
    CHECK(html_to_text("<p>未闭合<b>加粗<p>第二段") == "未闭合加粗\n第二段\n");
    CHECK(html_to_text("a < b &unknown; c") == "a < b &unknown; c\n");
    CHECK(html_to_text("") == "");
    CHECK(html_to_text("<br><br><br>") == "");
}

TEST_CASE("hostile html takes linear time and no stack") {
    std::string deep;
    for (int i = 0; i < 100000; ++i) {
        deep += "<div>";
    }
    deep += "深";
    CHECK(html_to_text(deep) == "深\n");
    std::string tags;
    for (int i = 0; i < 200000; ++i) {
        tags += "<b>字</b><br";
    }
    CHECK(html_to_text(tags).size() > 100000);
}
