/* SPDX-License-Identifier: MIT */
/*
 * abi_layout.c - prints the size of each public struct of pact.h and the
 * offset and size of every field, one "struct field offset size" line
 * each, so python/tests can check that the ctypes mirrors match.
 */
#include <stddef.h>
#include <stdio.h>

#include "pact/pact.h"

#define F(s, f)                                                          \
    printf("%s %s %zu %zu\n", #s, #f, offsetof(struct s, f),             \
           sizeof(((struct s *)0)->f))
#define S(s) printf("%s - 0 %zu\n", #s, sizeof(struct s))

int main(void)
{
    S(pact_config);
    F(pact_config, size);
    F(pact_config, version);
    F(pact_config, measure_period_s);
    F(pact_config, perf_period_s);
    F(pact_config, events);
    F(pact_config, output_path);
    F(pact_config, sysroot);
    F(pact_config, scope);
    F(pact_config, counter_mode);
    F(pact_config, workload_pid);
    F(pact_config, psu_detail);
    F(pact_config, psu);
    F(pact_config, psu_device);
    F(pact_config, gpus);
    F(pact_config, no_estimate);
    F(pact_config, quiet);
    F(pact_config, psu_efficiency);
    F(pact_config, psu_rating);
    F(pact_config, country);
    F(pact_config, carbon_intensity);
    F(pact_config, intensity_file);
    F(pact_config, pue);
    F(pact_config, model_path);
    F(pact_config, data_dir);
    F(pact_config, power_sample_period_s);
    F(pact_config, realtime);
    F(pact_config, labels);
    F(pact_config, textfile_dir);
    S(pact_summary);
    F(pact_summary, size);
    F(pact_summary, version);
    F(pact_summary, duration_s);
    F(pact_summary, rows);
    F(pact_summary, energy_j);
    F(pact_summary, energy_uncertainty_j);
    F(pact_summary, avg_power_w);
    F(pact_summary, peak_power_w);
    F(pact_summary, co2_g);
    F(pact_summary, carbon_intensity_g_per_kwh);
    F(pact_summary, psu_efficiency);
    F(pact_summary, pue);
    F(pact_summary, cpu_energy_j);
    F(pact_summary, gpu_energy_j);
    F(pact_summary, psu_dc_energy_j);
    F(pact_summary, total_basis);
    F(pact_summary, carbon_intensity_source);
    F(pact_summary, predicted_energy_j);
    F(pact_summary, basis);
    F(pact_summary, basis_lower_bound);
    F(pact_summary, uncertainty_k);
    F(pact_summary, gap_windows);
    F(pact_summary, basis_why);
    F(pact_summary, dropped_sources);
    F(pact_summary, wall_clock_jumps);
    F(pact_summary, wall_clock_jump_s);
    S(pact_source_summary);
    F(pact_source_summary, size);
    F(pact_source_summary, version);
    F(pact_source_summary, name);
    F(pact_source_summary, energy_j);
    F(pact_source_summary, avg_power_w);
    F(pact_source_summary, peak_power_w);
    F(pact_source_summary, estimated);
    F(pact_source_summary, samples);
    F(pact_source_summary, method);
    S(pact_live);
    F(pact_live, size);
    F(pact_live, version);
    F(pact_live, elapsed_s);
    F(pact_live, rows);
    F(pact_live, total_power_w);
    F(pact_live, psu_power_w);
    F(pact_live, cpu_power_w);
    F(pact_live, gpu_power_w);
    F(pact_live, energy_j);
    F(pact_live, cpu_estimated);
    F(pact_live, total_estimated);
    return 0;
}
