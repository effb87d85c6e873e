/* SPDX-License-Identifier: MIT */
/*
 * model_file.h - save and load a model as versioned, line-oriented text
 * (format in docs/model.md): one keyword per line, numbers printed with
 * 17 significant digits so a saved model predicts exactly as the fitted
 * one.  Loading checks every line and names the file and line at fault.
 */
#ifndef PACT_MODEL_MODEL_FILE_H
#define PACT_MODEL_MODEL_FILE_H

#include <stddef.h>
#include <stdio.h>

#include "model/model.h"

/* Current format version (the "pact-model N" first line). */
#define PACT__MODEL_FORMAT 1

/* Write m to fp / to path.  0 or < 0 with why. */
int pact__model_write(const struct pact__model *m, FILE *fp);
int pact__model_save(const struct pact__model *m, const char *path,
                     char *why, size_t len);

/* Read a model; *out owns it (pact__model_free).  0, or < 0 with one
 * line in why naming path and line. */
int pact__model_load(const char *path, struct pact__model **out, char *why,
                     size_t len);

#endif
