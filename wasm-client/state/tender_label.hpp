// The one name of each tender kind a person reads: the payment buttons and
// lines on the till (ui/), the receipt (receipt/), the shift report.
//
// English for now, as every other text of the till; deliberately not the
// wire name (shared/'s to_string(TenderKind), "bank_transfer") and not a
// message catalogue (there is none yet).
#pragma once

#include <salespider/shared/payment.hpp>

namespace salespider::state {

// "Cash", "Card", "Bank transfer", "Mobile money", "Other".
const char* tender_label(TenderKind kind) noexcept;

}  // namespace salespider::state
