// The common interface has no "am I fused?" query, and adding one would let
// it drift from the truth. Instead this asks the vtable: GCC's bound
// member-function extension (-Wno-pmf-conversions, set on this file only)
// turns backend.*&Backend::train_step into the address that a call would
// reach, which is Backend::train_step itself unless the backend overrides it.

#include "profile/fused_steps.h"

namespace mnistbench {

namespace {

using ForwardFn = void (*)(Backend*, const Parameters&, const float*, int, Workspace&);
using TrainStepFn = void (*)(Backend*, Parameters&, Parameters&, const Batch&, Workspace&, float);

}  // namespace

bool overrides_forward(Backend& backend) {
  return reinterpret_cast<ForwardFn>(backend.*(&Backend::forward)) !=
         reinterpret_cast<ForwardFn>(&Backend::forward);
}

bool overrides_train_step(Backend& backend) {
  return reinterpret_cast<TrainStepFn>(backend.*(&Backend::train_step)) !=
         reinterpret_cast<TrainStepFn>(&Backend::train_step);
}

}  // namespace mnistbench
