# SPDX-License-Identifier: MIT
"""standins.py - make every stand-in follow one scenario's truth at once.

build(scn, root, work) lays out a --sysroot fixture (powercap RAPL zones,
an ACPI power_meter under hwmon, /proc files) and the PSU emulator's and
fake NVML's script files.  drive() then runs in its own process
(`standins.py SCN ROOT WORK EPOCH [KEY=VALUE...]`, the pairs
overriding [standins] keys) and, every `tick` seconds until
SIGTERM, rewrites each of them (atomically, by rename) from the truth at
t = time.time() - EPOCH:

  powercap energy_uj   start + 1e6 * integral of the zone's power, modulo
                       max_energy_range_uj + 1 (the kernel's wrap)
  hwmon power_meter    power1_average: mean wall power over the trailing
                       power1_average_interval, in uW
  PSU emulator state   Corsair: output_power_w = DC (sum of components)
                       at t, input_voltage_v; NZXT: the five rails, which
                       sum to DC
  fake NVML script     time_s=0 (its own clock frozen), gpu0.energy_base_mj
                       = 1e3 * integral of the GPU's power, gpu0.power_mw =
                       its power at t
  /proc/stat           CPU ticks advancing with the package's load

Faults ([faults] NAME = T0 T1 [ARG]) replace what a stand-in shows while
T0 <= t < T1, never the truth:
  psu_no_reply, psu_disconnect     the emulator's fault= switch
  psu_delay_ms = T0 T1 MS          reply latency (a slow PSU)
  psu_value = T0 T1 W              the PSU reports W (negative, absurd)
  wall_value = T0 T1 W             the power meter reports W
  rapl_missing = T0 T1 ZONE        energy_uj removed (a failed read)
  rapl_reset = T0 T1 ZONE          from T0 the counter restarts near 0
  rapl_above_range = T0 T1 ZONE    energy_uj above max_energy_range_uj
  rapl_dead = T0 T1 ZONE           the counter stays at 0 (never counts)
  gpu_lost = T0 T1                 gpu0 answers NVML_ERROR_GPU_IS_LOST
  gpu_value = T0 T1 W              gpu0's power reads W (e.g. negative)
[standins] nvml_instant = yes: gpu0 has no energy counter
(NVML_ERROR_NOT_SUPPORTED), so pact samples its instant power;
nvml_energy_update_ms = MS: the counter moves only every MS (default 0:
every tick).  The fake's own clock is frozen (time_s=0): the driver, not
the fake, decides what the counter and power show, from the truth.
"""

import math
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import Scenario  # noqa: E402

PC = "sys/devices/virtual/powercap/intel-rapl"
ZONES = {  # zone -> (directory under PC, name file)
    "package0": ("intel-rapl:0", "package-0"),
    "dram0": ("intel-rapl:0/intel-rapl:0:0", "dram"),
    "psys": ("intel-rapl:1", "psys"),
}
HWMON = "sys/class/hwmon/hwmon0"


def put(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.rename(tmp, path)


def mkdirs(path):
    os.makedirs(path, mode=0o755, exist_ok=True)


def zones(scn):
    return scn.standins.get("rapl", "").split()


def rapl_max(scn, z):
    return int(scn.standins.get(z + "_max_uj",
                                scn.standins.get("rapl_max_uj",
                                                 "262143328850")))


def rapl_start(scn, z):
    return int(scn.standins.get(z + "_start_uj", "1000000000"))


def yes(scn, key):
    return scn.standins.get(key, "no") in ("yes", "1", "true")


def paths(root, work):
    return {
        "psu_state": os.path.join(work, "psu.state"),
        "psu_sock": os.path.join(work, "psu.sock"),
        "nvml": os.path.join(work, "gpus"),
        "ready": os.path.join(work, "driver.ready"),
    }


def build(scn, root, work):
    """Lay out the fixture and the scripts (values at t = 0)."""
    mkdirs(os.path.join(root, "proc"))
    put(os.path.join(root, "proc/cpuinfo"), "".join(
        "processor\t: %d\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) "
        "Core(TM) i7-8700 CPU @ 3.20GHz\nphysical id\t: 0\n\n" % i
        for i in range(2)))
    put(os.path.join(root, "proc/meminfo"), "MemTotal:       16777216 kB\n")
    mkdirs(os.path.join(root, "sys/class/powercap"))
    for z in zones(scn):
        d, name = ZONES[z]
        full = os.path.join(root, PC, d)
        mkdirs(full)
        put(os.path.join(full, "name"), name + "\n")
        put(os.path.join(full, "max_energy_range_uj"), "%d\n" % rapl_max(scn, z))
        link = os.path.join(root, "sys/class/powercap", d.rsplit("/", 1)[-1])
        if not os.path.islink(link):
            os.symlink(os.path.relpath(full, os.path.dirname(link)), link)
    if zones(scn):
        link = os.path.join(root, "sys/class/powercap/intel-rapl")
        os.symlink(os.path.relpath(os.path.join(root, PC),
                                   os.path.dirname(link)), link)
    if yes(scn, "hwmon_wall"):
        d = os.path.join(root, HWMON)
        mkdirs(d)
        put(os.path.join(d, "name"), "power_meter\n")
        put(os.path.join(d, "power1_accuracy"),
            scn.standins.get("wall_accuracy", "99.0%") + "\n")
        put(os.path.join(d, "power1_average_interval"),
            scn.standins.get("wall_interval_ms", "1000") + "\n")
    Driver(scn, root, work).step(0.0, initial=True)


class Driver:
    def __init__(self, scn, root, work):
        self.scn, self.root, self.work = scn, root, work
        self.p = paths(root, work)
        self.last = {}
        self.interval = float(scn.standins.get("wall_interval_ms", "1000")) / 1e3

    def fault(self, name, t, arg=None):
        """The first argument list of an active fault NAME (for ZONE
        faults, only one naming arg), else None."""
        for k, t0, t1, a in self.scn.faults:
            if k == name and t0 <= t < t1 and (arg is None or arg in a):
                return a
        return None

    def write(self, path, text):
        if self.last.get(path) != text:
            put(path, text)
            self.last[path] = text

    def rapl(self, z, t):
        scn = self.scn
        path = os.path.join(self.root, PC, ZONES[z][0], "energy_uj")
        if self.fault("rapl_missing", t, z) is not None:
            if os.path.exists(path):
                os.unlink(path)
            self.last.pop(path, None)
            return
        mx = rapl_max(scn, z)
        if self.fault("rapl_dead", t, z) is not None:
            raw = 0
        elif self.fault("rapl_above_range", t, z) is not None:
            raw = mx + 123456789
        else:
            e = scn.energy(z, 0.0, t) * 1e6
            # A reset: from T0 on the counter restarts at 0 (then counts).
            for k, t0, t1, a in scn.faults:
                if k == "rapl_reset" and z in a and t >= t0:
                    e = scn.energy(z, t0, t) * 1e6 - rapl_start(scn, z)
            raw = int(rapl_start(scn, z) + e) % (mx + 1)
        self.write(path, "%d\n" % raw)

    def step(self, t, initial=False):
        scn = self.scn
        for z in zones(scn):
            self.rapl(z, t)
        # /proc/stat: 2 CPUs, busy in proportion to package power (65 W
        # TDP), 100 ticks per second each.
        tot = 200.0 * max(t, 0.0) + 100000
        user = int(scn.energy("package0", 0, max(t, 0)) / 65.0 * 200 + 1000)
        idle = int(tot - user)
        self.write(os.path.join(self.root, "proc/stat"),
                   "cpu  %d 0 0 %d 0 0 0 0 0 0\ncpu0 %d 0 0 %d 0 0 0 0 0 0\n"
                   "cpu1 %d 0 0 %d 0 0 0 0 0 0\n" %
                   (user, idle, user // 2, idle // 2, user - user // 2,
                    idle - idle // 2))
        if yes(scn, "hwmon_wall"):
            a = self.fault("wall_value", t)
            if a is not None:
                w = float(a[0])
            else:
                lo = t - self.interval
                w = scn.wall_energy(lo, t) / self.interval
            self.write(os.path.join(self.root, HWMON, "power1_average"),
                       "%d\n" % round(w * 1e6))
        if yes(scn, "psu"):
            a = self.fault("psu_value", t)
            out = float(a[0]) if a is not None else scn.dc(t)
            if scn.psu_model.startswith("e"):
                # NZXT E-series: no total, five rails.  The CPU's 12 V EPS
                # feeds package and DRAM, PCIe the GPU, the rest is split
                # 85/10/5 % over peripheral 12 V, 5 V and 3.3 V.
                cpu = scn.power("package0", t) + scn.power("dram0", t)
                rest = scn.power("rest", t)
                if a is not None:  # a bogus reading on the EPS rail
                    cpu = out - scn.power("gpu0", t) - rest
                st = ("rail12v_eps_power_w=%.4f\nrail12v_pcie_power_w=%.4f\n"
                      "rail12v_peripheral_power_w=%.4f\nrail5v_power_w=%.4f\n"
                      "rail3v3_power_w=%.4f\n" %
                      (cpu, scn.power("gpu0", t), 0.85 * rest, 0.10 * rest,
                       0.05 * rest))
            else:
                st = "output_power_w=%.4f\ninput_voltage_v=%g\n" % (
                    out, scn.input_v)
            for f in ("no_reply", "disconnect"):
                if self.fault("psu_" + f, t) is not None:
                    st += "fault=%s\n" % f
            a = self.fault("psu_delay_ms", t)
            if a is not None:
                st += "delay_ms=%s\n" % a[0]
            self.write(self.p["psu_state"], st)
        if yes(scn, "nvml"):
            # A real counter moves only every 20-100 ms (nvml.md sec. 6):
            # nvml_energy_update_ms holds it between updates.
            upd = float(scn.standins.get("nvml_energy_update_ms", "0")) / 1e3
            te = math.floor(t / upd) * upd if upd > 0 else t
            txt = ("gpus=1\ntime_s=0\ngpu0.name=Scenario GPU\n"
                   "gpu0.energy_base_mj=%d\ngpu0.power_mw=%d\n" %
                   (round(1e9 + scn.energy("gpu0", 0, te) * 1e3),
                    round(scn.power("gpu0", t) * 1e3)))
            if self.fault("gpu_lost", t) is not None:
                txt += "gpu0.lost=1\n"
            if yes(scn, "nvml_instant"):  # no energy counter: sampled
                txt += "gpu0.rc.energy=3\n"
            a = self.fault("gpu_value", t)
            if a is not None:
                txt += "gpu0.power_mw=%d\n" % round(float(a[0]) * 1e3)
            self.write(self.p["nvml"], txt)


def drive(scn, root, work, epoch):
    """Update every tick (absolute deadlines) until SIGTERM; then write
    each update's start and end time (s since EPOCH) to driver.log, from
    which the checker knows how old a truth each stand-in showed at any
    moment."""
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    try:  # keep up on a loaded machine when allowed (root)
        os.nice(-10)
    except OSError:
        pass
    d = Driver(scn, root, work)
    d.step(time.time() - epoch)
    put(d.p["ready"], "1\n")
    log = []
    nxt = time.time()
    while not stop:
        nxt += scn.tick
        pause = nxt - time.time()
        if pause > 0:
            time.sleep(pause)
        else:
            nxt = time.time()
        t0 = time.time()
        d.step(t0 - epoch)
        log.append((t0 - epoch, time.time() - epoch))
    put(os.path.join(work, "driver.log"),
        "".join("%.6f %.6f\n" % x for x in log))


def load(path, overrides=()):
    """The scenario at path, with [standins] KEY=VALUE overrides."""
    scn = Scenario(path)
    for kv in overrides:
        k, _, v = kv.partition("=")
        scn.standins[k] = v
    return scn


if __name__ == "__main__":
    drive(load(sys.argv[1], sys.argv[5:]), sys.argv[2], sys.argv[3],
          float(sys.argv[4]))
