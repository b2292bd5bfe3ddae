// Python's str.format for the file names of ModelCheckpoint
// ("weights.{epoch:02d}-{val_loss:.2f}.h5") and Python's float repr for CSVLogger and verbose
// messages, so that file names and CSV cells are the ones Keras writes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>

namespace tfc {

// A replacement value: Keras passes `epoch`/`batch` as Python ints and log values as floats.
using FormatValue = std::variant<std::int64_t, double>;

// Python's repr() of a float: the shortest string that reads back to the same double, in fixed
// notation for exponents in [-4, 16) ("0.5", "100.0", "0.0001") and scientific otherwise
// ("1e-05", "1.5e+16"); "nan", "inf", "-inf".
std::string python_repr(double value);

// Python's pattern.format(**values) for the subset that checkpoint names use:
//   {name}        ints as decimal, floats as python_repr
//   {name:SPEC}   SPEC = [0][width][.precision][type], type one of d, f, F, e, E, g, G, or none
//                 (none with an int: decimal; none with a float needs no precision)
//   {{ and }}     literal braces
// Throws tfc::Error naming `where` for a missing key or a spec Python would reject or that this
// subset does not cover (fill/align, sign, grouping).
std::string python_format(const std::string& pattern,
                          const std::map<std::string, FormatValue>& values,
                          const std::string& where);

}  // namespace tfc
