// Request ids: a short random hex id per request, sent back as X-Request-Id,
// written into every log line and error body so an operator can match a
// cashier's error message to the server log.
#pragma once

#include <string>

namespace salespider::http {

std::string new_request_id();

}  // namespace salespider::http
