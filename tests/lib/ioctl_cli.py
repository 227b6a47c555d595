# SPDX-License-Identifier: GPL-2.0
"""What the ioctl clients of tests/lib share (brioctl.py, bondioctl.py):
the socket the ioctls go through and the command line, groups of
`CMD ARGS...` separated by `--`, each printing its result line or, when the
ioctl fails, the group and the errno name."""
import errno
import socket
import sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)


def main(run):
    groups, cur = [], []
    for x in sys.argv[1:]:
        if x == "--":
            groups.append(cur)
            cur = []
        else:
            cur.append(x)
    groups.append(cur)
    for g in groups:
        if not g:
            continue
        try:
            print(run(g[0], g[1:]))
        except OSError as e:
            print(f"{' '.join(g)}: {errno.errorcode.get(e.errno, e.errno)}")
