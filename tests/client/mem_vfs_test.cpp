// The page VFS: dirty tracking at page granularity and image round trips,
// on its own and under SQLite.
#include "store/mem_vfs.hpp"
#include "store/sqlite_db.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace salespider::store;

namespace {

std::vector<std::uint8_t> bytes(std::size_t n, std::uint8_t value) {
  return std::vector<std::uint8_t>(n, value);
}

}  // namespace

TEST(MemFile, AWriteMarksOnlyThePagesItTouchesDirty) {
  MemFile f(512);
  f.write(bytes(512 * 4, 1), 0);
  f.clear_dirty();
  f.write(bytes(10, 7), 512 * 2 + 100);
  EXPECT_EQ(f.dirty(), (std::set<std::uint32_t>{2}));
  f.write(bytes(20, 7), 512 * 3 - 10);
  EXPECT_EQ(f.dirty(), (std::set<std::uint32_t>{2, 3}));
}

TEST(MemFile, AWritePastTheEndDirtiesTheGapPagesToo) {
  MemFile f(512);
  f.write(bytes(100, 1), 512 * 3);
  EXPECT_EQ(f.page_count(), 4u);
  EXPECT_EQ(f.dirty(), (std::set<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_EQ(f.size(), 512u * 3 + 100);
}

// A snapshot's pages are read after it was handed over (www/storage.js puts
// them over several tasks): the pinned bytes stay where they were, as they
// were, whatever the file does meanwhile; the file itself changes as usual.
TEST(MemFile, PinnedPagesKeepTheirBytesWhileTheFileChanges) {
  MemFile f(512);
  f.write(bytes(512 * 3, 1), 0);
  f.clear_dirty();
  const std::uint8_t* page0 = f.page(0).data();
  const std::uint8_t* page2 = f.page(2).data();
  const std::vector<std::uint32_t> pinned{0, 2};
  f.pin(pinned);

  f.write(bytes(512, 7), 0);       // a pinned page rewritten
  f.write(bytes(512, 8), 512);     // an unpinned page: in place
  f.truncate(512 * 2);             // a pinned page dropped
  EXPECT_EQ(std::vector<std::uint8_t>(page0, page0 + 512), bytes(512, 1));
  EXPECT_EQ(std::vector<std::uint8_t>(page2, page2 + 512), bytes(512, 1));
  EXPECT_NE(f.page(0).data(), page0);
  EXPECT_EQ(std::vector<std::uint8_t>(f.page(0).begin(), f.page(0).end()), bytes(512, 7));
  EXPECT_EQ(f.page_count(), 2u);
  EXPECT_EQ(f.dirty(), (std::set<std::uint32_t>{0, 1}));

  f.unpin();
  const std::uint8_t* now0 = f.page(0).data();
  f.write(bytes(512, 9), 0);  // nothing pinned: written in place again
  EXPECT_EQ(f.page(0).data(), now0);
}

TEST(MemFile, AShortReadReturnsWhatExistsAndZeroFillsTheRest) {
  MemFile f(512);
  f.write(bytes(100, 9), 0);
  std::vector<std::uint8_t> out(200, 0xAA);
  EXPECT_EQ(f.read(out, 50), 50u);
  EXPECT_EQ(out[49], 9);
  EXPECT_EQ(out[50], 0);
  EXPECT_EQ(out[199], 0);
}

TEST(MemFile, TruncateDropsPagesAndTheirDirtyMarks) {
  MemFile f(512);
  f.write(bytes(512 * 4, 1), 0);
  f.truncate(512 * 2);
  EXPECT_EQ(f.page_count(), 2u);
  EXPECT_EQ(f.dirty(), (std::set<std::uint32_t>{0, 1}));
  f.clear_dirty();
  f.mark_dirty(3);  // a failed snapshot's page that no longer exists
  EXPECT_TRUE(f.dirty().empty());
}

TEST(MemFile, AnImageRoundTripsAndStartsClean) {
  MemFile f(1024);
  std::vector<std::uint8_t> data;
  for (int i = 0; i < 3000; ++i) data.push_back(static_cast<std::uint8_t>(i * 7));
  f.write(data, 0);
  f.truncate(3072);
  Result<MemFile> copy = MemFile::from_image(f.image());
  ASSERT_TRUE(copy.ok());
  EXPECT_TRUE(copy.value().dirty().empty());
  std::vector<std::uint8_t> out(3000);
  EXPECT_EQ(copy.value().read(out, 0), 3000u);
  EXPECT_EQ(out, data);
}

TEST(MemFile, AnImageWithABadPageSizeOrShortPageIsRefused) {
  EXPECT_EQ(MemFile::from_image(PageImage{1000, {}}).error().code, StoreErrc::corrupt_image);
  PageImage short_page{512, {bytes(512, 0), bytes(100, 0)}};
  EXPECT_EQ(MemFile::from_image(short_page).error().code, StoreErrc::corrupt_image);
}

TEST(MemVfs, ADatabaseSurvivesAnImageRoundTripThroughANewVfs) {
  PageImage image;
  {
    auto vfs = MemVfs::create();
    ASSERT_TRUE(vfs.ok());
    auto db = Database::open("t.db", vfs.value()->name());
    ASSERT_TRUE(db.ok()) << db.error().context;
    ASSERT_TRUE(db.value()
                    .exec("PRAGMA journal_mode=MEMORY; CREATE TABLE t(x TEXT);"
                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000)"
                          " INSERT INTO t SELECT printf('row %d', i) FROM n;")
                    .ok());
    db.value().close();
    image = vfs.value()->find("t.db")->image();
  }
  EXPECT_GT(image.pages.size(), 5u);
  auto vfs = MemVfs::create();
  ASSERT_TRUE(vfs.ok());
  auto file = MemFile::from_image(image);
  ASSERT_TRUE(file.ok());
  vfs.value()->put("t.db", std::move(file).value());
  auto db = Database::open("t.db", vfs.value()->name());
  ASSERT_TRUE(db.ok());
  auto n = db.value().query_int("SELECT count(*) FROM t WHERE x LIKE 'row %'");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 2000);
  auto check = db.value().prepare("PRAGMA quick_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(check.value().step().value());
  EXPECT_EQ(check.value().text(0), "ok");
}

TEST(MemVfs, OneSmallInsertIntoABigDatabaseDirtiesAFewPages) {
  auto vfs = MemVfs::create();
  ASSERT_TRUE(vfs.ok());
  auto db = Database::open("big.db", vfs.value()->name());
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(db.value()
                  .exec("PRAGMA page_size=4096; PRAGMA journal_mode=MEMORY;"
                        "CREATE TABLE p(id TEXT PRIMARY KEY, name TEXT);"
                        "CREATE TABLE s(id INTEGER PRIMARY KEY, payload TEXT);"
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<20000)"
                        " INSERT INTO p SELECT printf('%08d', i), printf('Product number %d', i) FROM n;")
                  .ok());
  MemFile& f = *vfs.value()->find("big.db");
  EXPECT_GT(f.page_count(), 200u);
  f.clear_dirty();
  ASSERT_TRUE(db.value().exec("INSERT INTO s(payload) VALUES('{\"total_minor\":1234}')").ok());
  // The new row's page, the header page (change counter) and maybe a parent.
  EXPECT_LE(f.dirty().size(), 3u);
  EXPECT_GE(f.dirty().size(), 1u);
}
