# One writer at a time: a held lock makes a writer wait, then exit 4.
. "$(dirname "$0")/lib.sh"
new_mailbox AB
echo 4242 >mb/.mailbox/lock
# This shell holds the lock, as another tool would: a flock on the folder.
exec 9<mb
flock -n 9 || fail "take the lock"
before=$(tree_hash mb)
run 4 register "锁住了" 张三 "$NOW"
same "lock error names the holder" "mailbox-intake: the mailbox is locked by process 4242 (see .mailbox/lock); try again when it is done" "$err"
same "nothing written" "$before" "$(tree_hash mb)"
run 0 mailbox-report -C mb list

# .mailbox/ is a cache anyone may delete, even while a command writes: the
# lock is not in it, so a second writer still waits.
rm -rf mb/.mailbox
run 4 register "缓存删了" 张三 "$NOW"
contains "the lock survives a cache wipe" "the mailbox is locked by process unknown" "$err"
exec 9<&-
run 0 register "解锁了" 张三 "$NOW"
done_testing
