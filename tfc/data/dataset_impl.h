// Internals shared by the Dataset transformations (tfc/data/*.cpp). Not a public header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tfc/data/dataset.h"

namespace tfc::data::detail {

// The node of a dataset; an empty dataset's node when the Dataset was default-constructed.
DatasetNodePtr node_of(const Dataset& ds);

// "(float32 (2, 3), int64 ())": dtypes and shapes of an element, for error messages.
std::string describe(const Element& element);

// Stacks same-shape, same-dtype tensors along a new axis 0. `where` names the caller.
Tensor stack(const std::vector<Tensor>& tensors, const char* where);
// Row i (along axis 0) of a tensor of rank >= 1, as a new tensor of rank - 1.
Tensor row(const Tensor& t, std::int64_t i);

// Saturating arithmetic on cardinalities (kInfinite / kUnknown propagate).
std::int64_t card_mul(std::int64_t n, std::int64_t k);

// Batching helpers (batch.cpp): up to n elements (fewer only at the end; none when exhausted),
// and the cardinality of a batched dataset.
std::vector<Element> next_group(ElementIterator& in, std::int64_t n);
std::int64_t batch_cardinality(std::int64_t n, std::int64_t batch_size, bool drop_remainder);

void check_positive(std::int64_t value, const char* where, const char* name);

}  // namespace tfc::data::detail
