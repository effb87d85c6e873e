/* SPDX-License-Identifier: MIT */
/*
 * discover.c - hidraw enumeration by vendor/product id (see discover.h).
 * Entries of /sys/class/hidraw are symlinks on a real system and plain
 * directories in test fixtures; both are read the same way.
 */
#include "hid/discover.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/path.h"

int pact__hid_uevent_ids(const char *path, uint16_t *bus, uint16_t *vid,
                         uint16_t *pid)
{
    char text[4096];
    int n = pact__read_text(path, text, sizeof text);
    if (n < 0)
        return n;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (strncmp(line, "HID_ID=", 7) == 0) {
            unsigned long f[3];
            char *p = line + 7, *end;
            for (int i = 0; i < 3; i++) {
                errno = 0;
                f[i] = strtoul(p, &end, 16);
                if (errno || end == p || f[i] > 0xFFFF)
                    return -EINVAL;
                if (i < 2 && *end != ':')
                    return -EINVAL;
                p = end + 1;
            }
            if (*end != '\0')
                return -EINVAL;
            *bus = (uint16_t)f[0];
            *vid = (uint16_t)f[1];
            *pid = (uint16_t)f[2];
            return 0;
        }
        line = next;
    }
    return -ENOENT;
}

static int by_index(const void *a, const void *b)
{
    const struct pact__hid_dev *x = a, *y = b;
    return (x->index > y->index) - (x->index < y->index);
}

int pact__hid_scan(const char *sysroot, uint16_t vid, const uint16_t *pids,
                   int npids, struct pact__hid_dev *out, int max)
{
    char dir[4096];
    if (pact__path(dir, sizeof dir, sysroot, "/sys/class/hidraw") < 0)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        int idx;
        char tail;
        if (sscanf(e->d_name, "hidraw%d%c", &idx, &tail) != 1 || idx < 0)
            continue;
        char ue[4096];
        uint16_t bus, v, p;
        if (pact__path(ue, sizeof ue, sysroot,
                       "/sys/class/hidraw/%s/device/uevent", e->d_name) < 0)
            continue;
        if (pact__hid_uevent_ids(ue, &bus, &v, &p) < 0)
            continue;
        if (bus != PACT_BUS_USB || v != vid)
            continue;
        int known = 0;
        for (int i = 0; i < npids; i++)
            known |= pids[i] == p;
        if (!known)
            continue;
        if (found < max) {
            struct pact__hid_dev *o = &out[found];
            o->index = idx;
            snprintf(o->spec, sizeof o->spec, "/dev/hidraw%d", idx);
            o->vid = v;
            o->pid = p;
        }
        found++;
    }
    closedir(d);
    qsort(out, (size_t)(found < max ? found : max), sizeof *out, by_index);
    return found;
}

int pact__hid_node_ids(const char *sysroot, const char *spec, uint16_t *vid,
                       uint16_t *pid)
{
    const char *base = strrchr(spec, '/');
    base = base ? base + 1 : spec;
    if (strncmp(base, "hidraw", 6) != 0)
        return -EINVAL;
    char ue[4096];
    uint16_t bus;
    if (pact__path(ue, sizeof ue, sysroot,
                   "/sys/class/hidraw/%s/device/uevent", base) < 0)
        return -ENAMETOOLONG;
    return pact__hid_uevent_ids(ue, &bus, vid, pid);
}
