# Mail is read and written by a module, mailbox-mime.so, that a command loads
# only when it needs it: the tools start without GMime and libxml2, find the
# module where an install puts it relative to themselves (LIBDIR/mailbox/ beside
# BINDIR), and without it say so, and only where mail is concerned.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
IMPORT="$MAILBOX_SOURCE/sample-data/import"
here=$(pwd -P) # as /proc/self/exe names it: no symbolic link in the way

for tool in mailbox-intake mailbox-reply mailbox-report mailbox-assign; do
    same "$tool links neither GMime nor libxml2" "" \
        "$(ldd "$MAILBOX_BIN/$tool" | grep -E 'libgmime|libxml2|libglib')"
done

# A copy of the tool with no module where it looks.
root=$(cd "$MAILBOX_BIN/.." && pwd -P)
module=$(find "$root" -path '*/mailbox/mailbox-mime.so' | head -n 1)
module_dir=${module#"$root"/}
module_dir=${module_dir%/mailbox-mime.so}
mkdir -p alone/bin
cp "$MAILBOX_BIN/mailbox-intake" alone/bin/
printf '建设路路灯不亮\n' >body.txt
run 0 alone/bin/mailbox-intake -C mb new --subject 路灯不亮 --from 王芳 --body-file body.txt --now "$NOW"
contains "new needs no module" "261125-" "$out"

before=$(tree_hash mb)
run 3 alone/bin/mailbox-intake -C mb import "$IMPORT/01-gbk-stone-bridge.eml" --now "$NOW"
contains "the missing module is named" \
    "cannot read or write mail: $here/alone/$module_dir/mailbox-mime.so: cannot open shared object file" "$err"
same "nothing written without the module" "$before" "$(tree_hash mb)"

# Something else under the module's name is refused as clearly.
mkdir -p "alone/$module_dir"
printf 'not a library\n' >"alone/$module_dir/mailbox-mime.so"
run 3 alone/bin/mailbox-intake -C mb import "$IMPORT/01-gbk-stone-bridge.eml" --now "$NOW"
contains "a broken module is named, with the loader's reason" \
    "cannot read or write mail: $here/alone/$module_dir/mailbox-mime.so: " "$err"
same "nothing written with a broken module" "$before" "$(tree_hash mb)"

# The module of this build, laid out as an install lays it out, is found.
cp "$module" "alone/$module_dir/"
run 0 alone/bin/mailbox-intake -C mb import "$IMPORT/01-gbk-stone-bridge.eml" --now "$NOW"
contains "mail read with the module" "1 registered, 0 already registered, 0 failed" "$err"

done_testing
