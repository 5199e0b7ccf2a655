#include "model/mask.hpp"

#include <catch2/catch.hpp>

using namespace mailbox;

TEST_CASE("mask_name keeps the surname of one-, two- and three-character names") {
    CHECK(mask_name("王") == "王某");
    CHECK(mask_name("张三") == "张某");
    CHECK(mask_name("王小明") == "王某");
    CHECK(mask_name("  李四 ") == "李某");
    CHECK(mask_name("\u3000李四\u3000") == "李某");
}

TEST_CASE("mask_name keeps a compound surname whole") {
    CHECK(mask_name("欧阳娜娜") == "欧阳某");
    CHECK(mask_name("司马光") == "司马某");
    CHECK(mask_name("诸葛亮") == "诸葛某");
    CHECK(mask_name("欧阳") == "欧阳某");
    // 欧 alone is a surname too: 欧洋 is 欧 and a given name.
    CHECK(mask_name("欧洋") == "欧某");
}

TEST_CASE("mask_name keeps placeholders and empty names") {
    CHECK(mask_name("匿名") == "匿名");
    CHECK(mask_name("匿名用户") == "匿名用户");
    CHECK(mask_name("匿名来信") == "匿名来信");
    CHECK(mask_name("无名氏") == "无名氏");
    CHECK(mask_name("佚名") == "佚名");
    CHECK(mask_name("市民") == "市民");
    CHECK(mask_name("网友") == "网友");
    CHECK(mask_name("") == "");
    CHECK(mask_name("   ") == "");
}

TEST_CASE("mask_name keeps a surname with a title, which names nobody") {
    CHECK(mask_name("张先生") == "张先生");
    CHECK(mask_name("李女士") == "李女士");
    CHECK(mask_name("欧阳女士") == "欧阳女士");
    CHECK(mask_name("王老师") == "王老师");
}

TEST_CASE("mask_name keeps the first letter of a Latin name") {
    CHECK(mask_name("John Smith") == "J***");
    CHECK(mask_name(" anna ") == "a***");
}

TEST_CASE("mask_phone keeps prefix and last four of a mobile, last four of others") {
    CHECK(mask_phone("13812341234") == "138****1234");
    CHECK(mask_phone("+86 138-1234-1234") == "138****1234");
    CHECK(mask_phone("0571-88123456") == "****3456");
    CHECK(mask_phone("88123456") == "****3456");
    CHECK(mask_phone("12345") == "****");
    CHECK(mask_phone("") == "****");
}

TEST_CASE("mask_email keeps the first character and the domain") {
    CHECK(mask_email("zhang.san@example.com") == "z***@example.com");
    CHECK(mask_email("张三@example.cn") == "张***@example.cn");
    CHECK(mask_email("not an address") == "***");
    CHECK(mask_email("") == "***");
}

TEST_CASE("mask_text masks a sender's name inside the text") {
    CHECK(mask_text("市民张三反映路灯不亮", {"张三"}) == "市民张某反映路灯不亮");
    CHECK(mask_text("张三，男，45岁", {"张三"}) == "张某，男，45岁");
    CHECK(mask_text("王小明家门口的路灯不亮", {"王小明"}) == "王某家门口的路灯不亮");
    CHECK(mask_text("来信人欧阳娜娜称", {"欧阳娜娜"}) == "来信人欧阳某称");
    CHECK(mask_text("Letter from John Smith.", {" John Smith "}) == "Letter from J***.");
}

TEST_CASE("mask_text masks a two-character name followed by a title") {
    CHECK(mask_text("张三先生来电", {"张三"}) == "张某先生来电");
    CHECK(mask_text("感谢李四女士", {"李四"}) == "感谢李某女士");
}

TEST_CASE("mask_text leaves a name that is also a common word where it is the word") {
    CHECK(mask_text("群众很高兴，高兴反映的问题已解决", {"高兴"}) ==
          "群众很高兴，高某反映的问题已解决");
    CHECK(mask_text("创建文明城市", {"文明"}) == "创建文明城市");
}

TEST_CASE("mask_text masks longer names first") {
    // Were 欧阳娜 masked first, 欧阳娜娜 would be left as 欧阳某娜.
    CHECK(mask_text("欧阳娜娜和欧阳娜反映", {"欧阳娜", "欧阳娜娜"}) == "欧阳某和欧阳某反映");
    CHECK(mask_text("欧阳娜娜、欧阳反映", {"欧阳", "欧阳娜娜"}) == "欧阳某、欧阳某反映");
}

TEST_CASE("mask_text leaves placeholder and one-character names alone") {
    CHECK(mask_text("匿名网友反映", {"匿名"}) == "匿名网友反映");
    CHECK(mask_text("王府井大街", {"王"}) == "王府井大街");
}

TEST_CASE("mask_text masks a Latin name only as a whole word") {
    CHECK(mask_text("Tomorrow Tom called", {"Tom"}) == "Tomorrow T*** called");
}

TEST_CASE("mask_text masks mobile and landline numbers") {
    CHECK(mask_text("联系电话13812341234。", {}) == "联系电话138****1234。");
    CHECK(mask_text("电话0571-88123456，", {}) == "电话****3456，");
    CHECK(mask_text("电话010-12345678", {}) == "电话****5678");
}

TEST_CASE("mask_text masks e-mail addresses") {
    CHECK(mask_text("请回复到zhang.san@example.com。谢谢", {}) == "请回复到z***@example.com。谢谢");
    CHECK(mask_text("a@b 不是地址", {}) == "a@b 不是地址");
}

TEST_CASE("mask_text keeps region and last four digits of an ID-card number") {
    CHECK(mask_text("身份证号11010119900101123X，", {}) == "身份证号110101********123X，");
    CHECK(mask_text("身份证号110101199001011234", {}) == "身份证号110101********1234");
    CHECK(mask_text("旧证110101900101123", {}) == "旧证110101*****1123");
}

TEST_CASE("mask_text leaves a long number such as an order id alone") {
    CHECK(mask_text("订单号12345678901234567890", {}) == "订单号12345678901234567890");
    CHECK(mask_text("编号138123412345", {}) == "编号138123412345");
}

TEST_CASE("mask_text cuts an address to its street") {
    CHECK(mask_text("家住建设路18号3栋2单元501室", {}) == "家住建设路**");
    CHECK(mask_text("住在幸福小区5号楼，", {}) == "住在幸福小区**，");
    CHECK(mask_text("解放街十八号院里", {}) == "解放街**里");
}

TEST_CASE("mask_text leaves counts and dates that merely look like house numbers") {
    CHECK(mask_text("第3次来信", {}) == "第3次来信");
    CHECK(mask_text("请在10日内答复", {}) == "请在10日内答复");
    CHECK(mask_text("已等3天", {}) == "已等3天");
    CHECK(mask_text("自2026年起", {}) == "自2026年起");
    CHECK(mask_text("3月5号来信", {}) == "3月5号来信");
    CHECK(mask_text("统一楼盘", {}) == "统一楼盘");
}

TEST_CASE("mask functions pass invalid UTF-8 bytes through") {
    CHECK(mask_text("张三\xff反映\xe5", {"张三"}) == "张某\xff反映\xe5");
    CHECK(mask_text("\xc3\x28路18号", {}) == "\xc3\x28路**");
    CHECK(mask_name("\xff张") == "\xff***");
    CHECK(mask_email("\xff@example.com") == "\xff***@example.com");
}

TEST_CASE("mask functions take empty input") {
    CHECK(mask_text("", {}) == "");
    CHECK(mask_text("", {"张三"}) == "");
    CHECK(mask_text("路灯不亮", {""}) == "路灯不亮");
    CHECK(mask_name("") == "");
    CHECK(mask_phone("") == "****");
    CHECK(mask_email("") == "***");
}

TEST_CASE("phone numbers written with dashes, spaces, brackets or full-width digits",
          "[report][mask]") {
    CHECK(mask_text("电话138-1234-5678。", {}) == "电话138****5678。");
    CHECK(mask_text("电话138 1234 5678。", {}) == "电话138****5678。");
    CHECK(mask_text("电话１３８１２３４５６７８。", {}) == "电话138****5678。");
    CHECK(mask_text("座机(0571)88123456", {}) == "座机(****3456");
    CHECK(mask_text("座机0571 88123456", {}) == "座机****3456");
    CHECK(mask_text("编号123-4567-8901", {}) == "编号123-4567-8901"); // no mobile starts 12
    CHECK(mask_text("共138-12人", {}) == "共138-12人");
}
