// One logical request and its outcome: what singleflight shares between callers and what the
// transfer thread works on. Callers (waiters) block on it; the transfer thread completes it
// once. A flight whose every waiter gave up is abandoned and the transfer thread drops it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/http_service.hpp"
#include "http/url.hpp"

namespace iu::http {

class FlightTable;

class Flight {
 public:
  Flight(std::string endpoint_key, Request request, UrlParts url, std::string shared_key)
      : endpoint_key(std::move(endpoint_key)),
        request(std::move(request)),
        url(std::move(url)),
        shared_key(std::move(shared_key)) {}

  const std::string endpoint_key;
  const Request request;
  const UrlParts url;            // parsed request.url
  const std::string shared_key;  // key in the FlightTable; "" when not shared

  // Transfer thread: publishes the outcome (first call wins) and wakes every waiter.
  void finish(Response response);
  void fail(HttpError error);

  // Waiter: blocks until the outcome is known, `cancel` is set or `deadline` passes. Returns
  // the response or throws the flight's HttpError; nullopt when this waiter gave up (the
  // caller then detaches with FlightTable::leave).
  std::optional<Response> wait(const std::atomic<bool>* cancel,
                               std::chrono::steady_clock::time_point deadline);

  bool abandoned() const { return abandoned_.load(); }

 private:
  friend class FlightTable;
  void complete(std::optional<Response> response, std::optional<HttpError> error);

  FlightTable* table_ = nullptr;  // set while registered
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
  int waiters_ = 1;
  std::optional<Response> response_;
  std::optional<HttpError> error_;
  std::atomic<bool> abandoned_{false};
};

// Live shared flights by key (endpoint + singleflight key). Lock order: table, then flight.
class FlightTable {
 public:
  // Joins the live flight under `shared_key`, or registers `fresh` as its leader. Returns the
  // flight to wait on and whether the caller leads it.
  std::pair<std::shared_ptr<Flight>, bool> join(const std::shared_ptr<Flight>& fresh);

  // A waiter detaches. Returns true when it was the last one of an unfinished flight: the
  // flight is then abandoned and no longer joinable.
  static bool leave(Flight& flight);

  size_t size() const;

 private:
  friend class Flight;
  void forget(const Flight& flight);

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Flight>> live_;
};

}  // namespace iu::http
