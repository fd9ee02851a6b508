// libFuzzer target for the sync protocol decoders (push batch, push response,
// pull page, op payloads). Any input must give a value or a typed error —
// no crash, no sanitizer report — and whatever decodes must survive
// decode -> encode -> decode unchanged; decoded sales must satisfy the cart
// invariants. Deliberately no server or database logic.
#include "salespider/shared/codec.hpp"
#include "salespider/shared/payloads.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace salespider;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

void check_sale(std::string_view text) {
  auto p = decode_sale_payload(text);
  if (!p) return;
  auto again = encode_sale_payload(*p);
  check(again.ok(), "decoded sale payload re-encodes");
  auto back = decode_sale_payload(*again);
  check(back.ok() && *back == *p, "sale payload round trip");
  auto sale = compute_sale(p->cart);
  if (!sale) return;
  check(check_invariants(*sale).ok(), "sale invariants");
  auto settlement = settle(sale->totals.total, p->payments, TenderSettings{});
  if (!settlement || !settlement->complete || sale->lines.empty()) return;
  // Refund everything in one go: it must give back exactly what was paid.
  std::vector<RefundRequestLine> all;
  for (std::size_t i = 0; i < sale->lines.size(); ++i) all.push_back({i, sale->lines[i].item.quantity});
  auto refund = compute_refund(*sale, *settlement, RefundLedger::for_sale(*sale), all);
  check(refund.ok() && refund->total == sale->totals.total && refund->tax == sale->totals.tax,
        "a full refund returns the sale");
}

void check_payloads(const Op& op) {
  switch (op.kind) {
    case OpKind::sale:
      check_sale(op.payload);
      break;
    case OpKind::refund:
      if (auto r = decode_refund_payload(op.payload)) {
        auto again = encode_refund_payload(*r);
        check(again.ok() && decode_refund_payload(*again).ok(), "refund payload round trip");
      }
      break;
    case OpKind::void_sale:
      if (auto v = decode_void_payload(op.payload)) {
        auto again = encode_void_payload(*v);
        check(again.ok() && *decode_void_payload(*again) == *v, "void payload round trip");
      }
      break;
    case OpKind::stock_movement:
      if (auto m = decode_stock_movement_payload(op.payload)) {
        auto again = encode_stock_movement_payload(*m);
        check(again.ok() && *decode_stock_movement_payload(*again) == *m, "stock payload round trip");
      }
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto batch = decode_push_batch(text)) {
    for (const auto& r : batch->rejected) check(r.error.code != Errc::ok, "rejected op has a code");
    auto encoded = encode_push_batch(*batch);
    check(encoded.ok(), "decoded batch re-encodes");
    auto again = decode_push_batch(*encoded);
    check(again.ok() && again->rejected.empty() && *again == *batch, "push batch round trip");
    for (const auto& op : batch->ops) check_payloads(op);
  } else {
    check(batch.code() != Errc::ok, "error has a code");
  }

  if (auto response = decode_push_response(text)) {
    auto encoded = encode_push_response(*response);
    check(encoded.ok() && *decode_push_response(*encoded) == *response, "push response round trip");
  }

  if (auto page = decode_pull_page(text)) {
    auto encoded = encode_pull_page(*page);
    check(encoded.ok() && *decode_pull_page(*encoded) == *page, "pull page round trip");
  }

  // Payloads straight from the input too, so the fuzzer reaches them without
  // having to build a whole batch around them.
  check_sale(text);
  if (auto m = decode_stock_movement_payload(text)) {
    check(validate(*m).ok(), "decoded stock movement is valid");
  }
  return 0;
}
