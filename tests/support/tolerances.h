#pragma once
// The tolerances the tests hold a backend to live in common/tolerances.h,
// each with its reason, so the benchmarks check with the same ones.

#include "common/tolerances.h"
