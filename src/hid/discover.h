/* SPDX-License-Identifier: MIT */
/*
 * discover.h - find HID devices by USB vendor and product id through
 * <sysroot>/sys/class/hidraw/hidrawN/device/uevent, whose HID_ID line the
 * kernel writes as HID_ID=%04X:%08X:%08X (bus:vendor:product, hid-core.c
 * hid_uevent).  Matches on ids, never on names.  Nothing is opened.
 */
#ifndef PACT_HID_DISCOVER_H
#define PACT_HID_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#define PACT_BUS_USB 0x0003

struct pact__hid_dev {
    int index;      /* N of hidrawN */
    char spec[32];  /* "/dev/hidrawN", as pact__hid_open takes it */
    uint16_t vid;
    uint16_t pid;
};

/* Parse the HID_ID line of a uevent file.  0, -ENOENT (no such line or
 * file) or -EINVAL (malformed). */
int pact__hid_uevent_ids(const char *path, uint16_t *bus, uint16_t *vid,
                         uint16_t *pid);

/*
 * USB hidraw devices with vendor vid and a product in pids[0..npids-1],
 * sorted by N, into out[0..max-1].  Returns how many matched (may exceed
 * max; only max are written), 0 when none or no hidraw class dir.
 */
int pact__hid_scan(const char *sysroot, uint16_t vid, const uint16_t *pids,
                   int npids, struct pact__hid_dev *out, int max);

/* Ids of a given hidraw node ("/dev/hidraw3" or "hidraw3") from sysfs.
 * 0 or -errno. */
int pact__hid_node_ids(const char *sysroot, const char *spec, uint16_t *vid,
                       uint16_t *pid);

#endif
