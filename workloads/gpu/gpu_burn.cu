/* SPDX-License-Identifier: MIT */
/*
 * gpu_burn.cu - a GPU stress workload for PACT's GPU runs (the original
 * used gpu_burn for its gpu_200 tests): every visible GPU multiplies two
 * N x N float matrices into as many result buffers as --mem FRACTION of
 * its free memory holds, again and again for SECONDS, with a hand-written
 * tiled SGEMM kernel.  Each result is checked against a reference product
 * (itself checked on the CPU at sampled entries); it prints throughput in
 * GFLOP/s and the error count, and exits 1 if any result was wrong.
 */
#include <cuda_runtime.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TILE 64 /* output tile per block, TILE x TILE */
#define BK 16   /* k-slice staged in shared memory */
#define TPB 16  /* threads per block side; each computes 4 x 4 outputs */
#define MAX_GPUS 64

#define CHECK(call)                                                        \
    do {                                                                   \
        cudaError_t e_ = (call);                                           \
        if (e_ != cudaSuccess) {                                           \
            fprintf(stderr, "gpu-burn: %s failed: %s\n", #call,            \
                    cudaGetErrorString(e_));                               \
            exit(2);                                                       \
        }                                                                  \
    } while (0)

/* C = A * B, row-major, n a multiple of TILE.  Thread (tx, ty) owns rows
 * ty + 16 i and columns tx + 16 j of the tile, so a warp's shared-memory
 * reads are conflict-free and its global writes are coalesced. */
__global__ void sgemm(const float *__restrict__ a,
                      const float *__restrict__ b, float *__restrict__ c,
                      int n)
{
    __shared__ float as[BK][TILE]; /* as[k][m]: the A tile, transposed */
    __shared__ float bs[BK][TILE]; /* bs[k][n] */
    int tx = threadIdx.x, ty = threadIdx.y, tid = ty * TPB + tx;
    int row0 = blockIdx.y * TILE, col0 = blockIdx.x * TILE;
    float acc[4][4] = {{0}};

    for (int k0 = 0; k0 < n; k0 += BK) {
        for (int i = 0; i < 4; i++) {
            int idx = tid + i * TPB * TPB;
            int r = idx / BK, k = idx % BK;
            as[k][r] = a[(size_t)(row0 + r) * n + k0 + k];
            int kr = idx / TILE, cc = idx % TILE;
            bs[kr][cc] = b[(size_t)(k0 + kr) * n + col0 + cc];
        }
        __syncthreads();
#pragma unroll
        for (int k = 0; k < BK; k++) {
            float av[4], bv[4];
#pragma unroll
            for (int i = 0; i < 4; i++) {
                av[i] = as[k][ty + TPB * i];
                bv[i] = bs[k][tx + TPB * i];
            }
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++)
                    acc[i][j] = fmaf(av[i], bv[j], acc[i][j]);
        }
        __syncthreads();
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            c[(size_t)(row0 + ty + TPB * i) * n + col0 + tx + TPB * j] =
                acc[i][j];
}

/* Count entries of c that differ from ref by more than a relative 1e-4:
 * the same kernel on the same inputs is deterministic, so any difference
 * is a fault (the GPU, its memory or its clocks). */
__global__ void compare(const float *c, const float *ref, size_t count,
                        unsigned long long *errors)
{
    unsigned long long bad = 0;
    for (size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
         i < count; i += (size_t)gridDim.x * blockDim.x)
        if (!(fabsf(c[i] - ref[i]) <= 1e-4f * (fabsf(ref[i]) + 1.0f)))
            bad++;
    if (bad)
        atomicAdd(errors, bad);
}

struct gpu {
    int dev;
    char name[256];
    float *a, *b, *ref, *c; /* c: nbuf result buffers */
    int nbuf;
    unsigned long long *errors; /* device counter */
    unsigned long long products;
    unsigned long long errors_host;
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gpu-burn SECONDS [--mem FRACTION] [--size N]\n"
            "  Multiply matrices on every visible GPU for SECONDS, check\n"
            "  every result, print GFLOP/s and the error count.\n"
            "  --mem FRACTION  share of free GPU memory for result buffers\n"
            "                  (0 < FRACTION <= 0.95, default 0.5)\n"
            "  --size N        matrix side, a multiple of %d (default 2048)\n"
            "  Exit status: 0 no errors, 1 wrong results, 2 usage or CUDA "
            "error.\n", TILE);
}

static int parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return errno == 0 && end != s && *end == '\0' && isfinite(*out);
}

/* Fill the inputs (values in [0, 1), fixed seed) and check the reference
 * product on the CPU, in double, at sampled entries.  Returns the number
 * of sampled entries off by more than a relative 1e-3. */
static int setup_gpu(struct gpu *g, int n, double mem_frac,
                     const float *ha, const float *hb)
{
    size_t bytes = (size_t)n * n * sizeof(float);
    CHECK(cudaSetDevice(g->dev));
    cudaDeviceProp p;
    CHECK(cudaGetDeviceProperties(&p, g->dev));
    snprintf(g->name, sizeof g->name, "%s", p.name);
    size_t free_b = 0, total_b = 0;
    CHECK(cudaMemGetInfo(&free_b, &total_b));
    size_t want = (size_t)(mem_frac * (double)free_b);
    long nbuf = (long)(want / bytes) - 3; /* a, b and ref */
    if (nbuf < 1)
        nbuf = 1;
    if (nbuf > 4096)
        nbuf = 4096;
    g->nbuf = (int)nbuf;
    CHECK(cudaMalloc(&g->a, bytes));
    CHECK(cudaMalloc(&g->b, bytes));
    CHECK(cudaMalloc(&g->ref, bytes));
    CHECK(cudaMalloc(&g->c, bytes * (size_t)g->nbuf));
    CHECK(cudaMalloc(&g->errors, sizeof *g->errors));
    CHECK(cudaMemcpy(g->a, ha, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(g->b, hb, bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(g->errors, 0, sizeof *g->errors));
    dim3 grid(n / TILE, n / TILE), block(TPB, TPB);
    sgemm<<<grid, block>>>(g->a, g->b, g->ref, n);
    CHECK(cudaGetLastError());

    float *href = (float *)malloc(bytes);
    if (!href) {
        fprintf(stderr, "gpu-burn: out of host memory\n");
        exit(2);
    }
    CHECK(cudaMemcpy(href, g->ref, bytes, cudaMemcpyDeviceToHost));
    int bad = 0;
    for (int s = 0; s < 256; s++) {
        int r = (int)(((unsigned)s * 2654435761u) % (unsigned)n);
        int c = (int)(((unsigned)s * 40503u + 7u) % (unsigned)n);
        double want_v = 0;
        for (int k = 0; k < n; k++)
            want_v += (double)ha[(size_t)r * n + k] * hb[(size_t)k * n + c];
        double got = href[(size_t)r * n + c];
        if (fabs(got - want_v) > 1e-3 * (fabs(want_v) + 1.0))
            bad++;
    }
    free(href);
    printf("gpu-burn: GPU %d %s: %d result buffers of %d x %d (%.2f GiB), "
           "reference %s\n", g->dev, g->name, g->nbuf, n, n,
           (double)bytes * (g->nbuf + 3) / (1 << 30),
           bad ? "WRONG" : "checked on the CPU");
    return bad;
}

static void launch_pass(struct gpu *g, int n)
{
    size_t count = (size_t)n * n;
    dim3 grid(n / TILE, n / TILE), block(TPB, TPB);
    CHECK(cudaSetDevice(g->dev));
    for (int i = 0; i < g->nbuf; i++)
        sgemm<<<grid, block>>>(g->a, g->b, g->c + count * i, n);
    for (int i = 0; i < g->nbuf; i++)
        compare<<<256, 256>>>(g->c + count * i, g->ref, count, g->errors);
    CHECK(cudaGetLastError());
}

static void finish_pass(struct gpu *g)
{
    CHECK(cudaSetDevice(g->dev));
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(&g->errors_host, g->errors, sizeof g->errors_host,
                     cudaMemcpyDeviceToHost));
    g->products += (unsigned long long)g->nbuf;
}

int main(int argc, char **argv)
{
    double seconds = -1, mem_frac = 0.5, size = 2048;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage();
            return 0;
        } else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc) {
            if (!parse_double(argv[++i], &mem_frac) || mem_frac <= 0 ||
                mem_frac > 0.95) {
                fprintf(stderr, "gpu-burn: --mem wants a fraction in "
                                "(0, 0.95], got '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
            if (!parse_double(argv[++i], &size) || size < TILE ||
                size > 32768 || fmod(size, TILE) != 0) {
                fprintf(stderr, "gpu-burn: --size wants a multiple of %d "
                                "up to 32768, got '%s'\n", TILE, argv[i]);
                return 2;
            }
        } else if (seconds < 0 && parse_double(argv[i], &seconds) &&
                   seconds > 0) {
            continue;
        } else {
            fprintf(stderr, "gpu-burn: unexpected argument '%s'\n",
                    argv[i]);
            usage();
            return 2;
        }
    }
    if (seconds <= 0) {
        usage();
        return 2;
    }
    int n = (int)size, ngpu = 0;
    cudaError_t e = cudaGetDeviceCount(&ngpu);
    if (e != cudaSuccess || ngpu == 0) {
        fprintf(stderr, "gpu-burn: no CUDA GPU (%s); check nvidia-smi and "
                "CUDA_VISIBLE_DEVICES\n",
                e != cudaSuccess ? cudaGetErrorString(e) : "none visible");
        return 2;
    }
    if (ngpu > MAX_GPUS)
        ngpu = MAX_GPUS;

    size_t count = (size_t)n * n;
    float *ha = (float *)malloc(count * sizeof(float));
    float *hb = (float *)malloc(count * sizeof(float));
    if (!ha || !hb) {
        fprintf(stderr, "gpu-burn: out of host memory\n");
        return 2;
    }
    unsigned long long x = 88172645463325252ull; /* xorshift64 */
    for (size_t i = 0; i < 2 * count; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        float v = (float)(x >> 40) / (float)(1 << 24);
        if (i < count)
            ha[i] = v;
        else
            hb[i - count] = v;
    }

    static struct gpu g[MAX_GPUS];
    int ref_bad = 0;
    for (int d = 0; d < ngpu; d++) {
        g[d].dev = d;
        ref_bad += setup_gpu(&g[d], n, mem_frac, ha, hb);
    }
    free(ha);
    free(hb);

    double t0 = now_s(), last_print = t0, t = t0;
    while (t - t0 < seconds) {
        for (int d = 0; d < ngpu; d++)
            launch_pass(&g[d], n);
        for (int d = 0; d < ngpu; d++)
            finish_pass(&g[d]);
        t = now_s();
        if (t - last_print >= 10 && t - t0 < seconds) {
            unsigned long long p = 0, errs = 0;
            for (int d = 0; d < ngpu; d++) {
                p += g[d].products;
                errs += g[d].errors_host;
            }
            printf("gpu-burn: %.0f s: %.1f GFLOP/s, %llu errors\n", t - t0,
                   2.0 * n * (double)n * n * (double)p / (t - t0) / 1e9,
                   errs);
            fflush(stdout);
            last_print = t;
        }
    }
    double el = t - t0;
    unsigned long long errs = 0;
    double total = 0;
    for (int d = 0; d < ngpu; d++) {
        double gf = 2.0 * n * (double)n * n * (double)g[d].products / el / 1e9;
        total += gf;
        errs += g[d].errors_host;
        printf("gpu-burn: GPU %d %s: %.1f GFLOP/s, %llu products, %llu "
               "errors\n", g[d].dev, g[d].name, gf, g[d].products,
               g[d].errors_host);
        cudaSetDevice(g[d].dev);
        cudaFree(g[d].a);
        cudaFree(g[d].b);
        cudaFree(g[d].ref);
        cudaFree(g[d].c);
        cudaFree(g[d].errors);
    }
    printf("gpu-burn: %.1f s, %.1f GFLOP/s, %llu errors%s\n", el, total, errs,
           ref_bad ? " (reference product WRONG)" : "");
    return errs || ref_bad ? 1 : 0;
}
