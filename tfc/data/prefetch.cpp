// Dataset.prefetch: a background thread runs the input pipeline up to buffer_size elements
// ahead of the consumer (a bounded queue). An exception in the input is rethrown to the consumer
// at the position where it happened, after the elements produced before it. Destroying the
// iterator stops the thread and joins it (it finishes the input element it is computing).
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

constexpr std::int64_t kAutotuneBuffer = 2;  // our AUTOTUNE: double buffering

class PrefetchIterator : public ElementIterator {
public:
    PrefetchIterator(ElementIteratorPtr in, std::size_t capacity)
        : in_(std::move(in)), capacity_(capacity) {
        thread_ = std::thread([this] { produce(); });
    }
    ~PrefetchIterator() override {
        {
            std::lock_guard<std::mutex> lock(mu_);
            cancelled_ = true;
        }
        not_full_.notify_all();
        thread_.join();
    }
    std::optional<Element> next() override {
        std::unique_lock<std::mutex> lock(mu_);
        not_empty_.wait(lock, [this] { return !queue_.empty() || finished_; });
        if (!queue_.empty()) {
            Element e = std::move(queue_.front());
            queue_.pop_front();
            lock.unlock();
            not_full_.notify_one();
            return e;
        }
        if (error_) {
            auto err = error_;
            error_ = nullptr;  // thrown once; later calls report the end
            std::rethrow_exception(err);
        }
        return std::nullopt;
    }

private:
    void produce() {
        try {
            for (;;) {
                {
                    std::unique_lock<std::mutex> lock(mu_);
                    not_full_.wait(lock, [this] { return queue_.size() < capacity_ || cancelled_; });
                    if (cancelled_) break;
                }
                auto e = in_->next();  // runs without the lock
                if (!e) break;
                {
                    std::lock_guard<std::mutex> lock(mu_);
                    queue_.push_back(std::move(*e));
                }
                not_empty_.notify_one();
            }
        } catch (...) {
            std::lock_guard<std::mutex> lock(mu_);
            error_ = std::current_exception();
        }
        in_.reset();  // release the input (files, nested threads) on the producer thread
        {
            std::lock_guard<std::mutex> lock(mu_);
            finished_ = true;
        }
        not_empty_.notify_all();
    }

    ElementIteratorPtr in_;
    const std::size_t capacity_;
    std::mutex mu_;
    std::condition_variable not_empty_, not_full_;
    std::deque<Element> queue_;
    bool cancelled_ = false, finished_ = false;
    std::exception_ptr error_;
    std::thread thread_;  // last: started after every other member is constructed
};

class PrefetchNode : public DatasetNode {
public:
    PrefetchNode(DatasetNodePtr input, std::int64_t buffer_size)
        : input_(std::move(input)), buffer_size_(buffer_size) {}
    std::int64_t cardinality() const override { return input_->cardinality(); }
    ElementIteratorPtr make_iterator() const override {
        return std::make_unique<PrefetchIterator>(input_->make_iterator(),
                                                  static_cast<std::size_t>(buffer_size_));
    }

private:
    DatasetNodePtr input_;
    std::int64_t buffer_size_;
};

}  // namespace

Dataset Dataset::prefetch(std::int64_t buffer_size) const {
    TFC_CHECK(buffer_size == kAutotune || buffer_size > 0, "Dataset.prefetch",
              "buffer_size must be positive or kAutotune",
              "buffer_size=" + std::to_string(buffer_size), "kAutotune (-1) or >= 1",
              "pass kAutotune or a small positive number");
    if (buffer_size == kAutotune) buffer_size = kAutotuneBuffer;
    return Dataset(std::make_shared<PrefetchNode>(detail::node_of(*this), buffer_size));
}

}  // namespace tfc::data
