// Internals shared by the callbacks: warnings, the attached model, mode checks.
#pragma once

#include <string>

#include "tfc/callbacks/callback.h"
#include "tfc/callbacks/logs.h"

namespace tfc {

class Model;

namespace detail {

// Keras's logging.warning: one "WARNING: ..." line on stderr.
void warn(const std::string& message);

// The model the callback is attached to; throws tfc::Error naming `where` when there is none.
Model& attached_model(const Callback& callback, const std::string& where);

// Throws unless mode is "auto", "min" or "max".
void check_mode(const std::string& mode, const std::string& where);

// "loss,accuracy,val_loss": the keys of `logs` joined with commas, as Keras's warnings list them.
std::string joined_keys(const Logs& logs);

}  // namespace detail
}  // namespace tfc
