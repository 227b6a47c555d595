#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The kernel log from a sequence number on (/dev/kmsg), for the harness.

The suites do not clear the kernel log: each window of the log starts at a
cursor, the /dev/kmsg sequence number where the previous window ended, so a
message printed after a suite ended (asynchronous namespace cleanup) still
falls into the next window.

  kmsg.py --next               print the sequence number of the next message
  kmsg.py [--from SEQ] [--end FILE] [--bare]
                               print the messages numbered SEQ and later (all
                               by default) as dmesg does ("[   1.234567] msg");
                               write the number after the last one to FILE;
                               --bare: each as its level and the line the
                               kernel logged ("<3>bond0: msg", no time), to
                               compare two drivers' lines as they are
"""
import os
import sys


def records():
    """(seq, usec, level, raw) of every record still in the kernel's buffer;
    raw is the record as read, for text() (a window skips most records:
    their text is never decoded)."""
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    try:
        while True:
            try:
                raw = os.read(fd, 16384)
            except BlockingIOError:
                return
            except BrokenPipeError:
                # Records overwritten while reading: go on with the next.
                continue
            fields = raw.partition(b";")[0].split(b",")
            yield int(fields[1]), int(fields[2]), int(fields[0]) & 7, raw
    finally:
        os.close(fd)


def text(raw):
    """A record's message, its \\xNN escapes undone (`re` only for a record
    that has one: its import costs the TCG guest more than the rest)."""
    msg = raw.decode("utf-8", "replace").partition(";")[2].split("\n", 1)[0]
    if "\\x" in msg:
        import re

        msg = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), msg)
    return msg


def main(argv):
    start, end_file, want_next, bare = 0, None, False, False
    i = 0
    while i < len(argv):
        if argv[i] == "--next":
            want_next = True
        elif argv[i] == "--from":
            i += 1
            start = int(argv[i])
        elif argv[i] == "--bare":
            bare = True
        elif argv[i] == "--end":
            i += 1
            end_file = argv[i]
        else:
            sys.exit(__doc__)
        i += 1
    nxt = start
    out = []
    for seq, usec, level, raw in records():
        nxt = max(nxt, seq + 1)
        if want_next or seq < start:
            continue
        for line in text(raw).split("\n"):
            if bare:
                out.append("<%d>%s" % (level, line))
            else:
                out.append("[%5d.%06d] %s" % (usec // 1000000, usec % 1000000, line))
    if want_next:
        print(nxt)
        return
    if out:
        print("\n".join(out))
    if end_file:
        with open(end_file, "w") as f:
            f.write("%d\n" % nxt)


main(sys.argv[1:])
