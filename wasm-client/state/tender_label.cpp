// tender_label; see tender_label.hpp.
#include "state/tender_label.hpp"

#include <salespider/shared/i18n.hpp>

namespace salespider::state {

const char* tender_label(TenderKind kind) noexcept {
  switch (kind) {
    case TenderKind::cash:
      return "Cash";
    case TenderKind::card:
      return "Card";
    case TenderKind::bank_transfer:
      return "Bank transfer";
    case TenderKind::mobile_money:
      return "Mobile money";
    case TenderKind::voucher:
      return i18n::N_("Voucher");
    case TenderKind::other:
      return "Other";
  }
  return "Other";
}

}  // namespace salespider::state
