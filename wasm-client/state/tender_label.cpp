// tender_label; see tender_label.hpp.
#include "state/tender_label.hpp"

#include <salespider/shared/i18n.hpp>

namespace salespider::state {

const char* tender_label(TenderKind kind) noexcept {
  switch (kind) {
    case TenderKind::cash:
      return i18n::trc("tender", "Cash");
    case TenderKind::card:
      return i18n::trc("tender", "Card");
    case TenderKind::bank_transfer:
      return i18n::trc("tender", "Bank transfer");
    case TenderKind::mobile_money:
      return i18n::trc("tender", "Mobile money");
    case TenderKind::voucher:
      return i18n::trc("tender", "Voucher");
    case TenderKind::other:
      return i18n::trc("tender", "Other");
  }
  return i18n::trc("tender", "Other");
}

}  // namespace salespider::state
