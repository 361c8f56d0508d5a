/* ord-demo.c: a believable demo shop
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-demo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "ord-demo.h"
#include "ord-money.h"
#include "ord-uuid.h"

/* A bakery, deli and gift shop: open Monday to Saturday and on Sunday
 * mornings, with two years of orders. Everything random comes from one
 * GRand seeded with the seed (ids from a second one), and every time from
 * end_time, so the same seed and options give the same database. */

#define MINUTE_US          (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR_US            (60 * MINUTE_US)
#define DAY_US             (24 * HOUR_US)

#define DEFAULT_N_ORDERS   5000
#define DEFAULT_BATCH      1000
#define CUSTOMER_BATCH     2000
#define HISTORY_YEARS      2
#define FUTURE_DAYS        40     /* due dates reach this far past end_time */
#define MAX_LINES          6
#define MAX_PARTNERS       8
#define MAX_EVENTS         6

/* ------------------------------------------------------------------ */
/* The catalogue                                                       */

enum
{
  SEASON_CHRISTMAS = 1 << 0,
  SEASON_EASTER    = 1 << 1,
  SEASON_VALENTINE = 1 << 2,
  SEASON_MOTHERS   = 1 << 3,
  SEASON_SUMMER    = 1 << 4,
  SEASON_AUTUMN    = 1 << 5,
  SEASON_PEAK      = 1 << 6,  /* a holiday's busiest days: its products sell more */
};

#define N_SEASON_MASKS (1 << 7)

enum
{
  PRODUCT_PREORDER = 1 << 0,  /* made to order: needs a day's notice at least */
  PRODUCT_CAKE     = 1 << 1,  /* often comes with a message to write on it */
};

typedef enum
{
  MODE_COUNTER,   /* wanted today: nothing made to order */
  MODE_ANY,
  MODE_PREORDER,  /* made to order only */
  N_MODES
} DemoMode;

typedef struct
{
  const char *sku;
  const char *name;
  guint       price;      /* cents of a euro-sized currency */
  float       weight;     /* how often it sells, relative */
  guint8      max_qty;
  guint8      season;
  guint8      flags;
} CatalogueEntry;

#define XMAS SEASON_CHRISTMAS
#define PRE  PRODUCT_PREORDER
#define CAKE PRODUCT_CAKE

static const CatalogueEntry catalogue[] = {
  { "BRD-001", "Sourdough Loaf 800 g", 520, 9, 2, 0, 0 },
  { "BRD-002", "Rye Sourdough 1 kg", 560, 5, 2, 0, 0 },
  { "BRD-003", "Country White Loaf", 380, 6, 2, 0, 0 },
  { "BRD-004", "Wholemeal Loaf", 420, 5, 2, 0, 0 },
  { "BRD-005", "Spelt Loaf", 490, 4, 2, 0, 0 },
  { "BRD-006", "Seeded Multigrain Loaf", 480, 5, 2, 0, 0 },
  { "BRD-007", "Baguette", 260, 8, 3, 0, 0 },
  { "BRD-008", "Ciabatta", 290, 4, 3, 0, 0 },
  { "BRD-009", "Focaccia with Rosemary and Sea Salt", 450, 4, 2, 0, 0 },
  { "BRD-010", "Walnut Bread", 550, 2, 1, 0, 0 },
  { "BRD-011", "Olive Bread", 520, 2.5, 1, 0, 0 },
  { "BRD-012", "Brioche Loaf", 590, 3, 2, 0, 0 },
  { "BRD-013", "Pumpernickel", 450, 1.5, 1, 0, 0 },
  { "BRD-014", "Gluten-Free Loaf", 650, 2, 2, 0, 0 },
  { "ROL-001", "Butter Roll", 70, 9, 12, 0, 0 },
  { "ROL-002", "Seeded Roll", 85, 6, 12, 0, 0 },
  { "ROL-003", "Pretzel", 120, 6, 8, 0, 0 },
  { "ROL-004", "Sourdough Roll", 95, 5, 10, 0, 0 },
  { "ROL-005", "Brioche Bun", 110, 3, 8, 0, 0 },
  { "ROL-006", "Cheese Roll", 150, 4, 6, 0, 0 },
  { "PAS-001", "Croissant", 190, 12, 6, 0, 0 },
  { "PAS-002", "Pain au Chocolat", 220, 9, 6, 0, 0 },
  { "PAS-003", "Almond Croissant", 290, 5, 4, 0, 0 },
  { "PAS-004", "Cinnamon Bun", 280, 7, 6, 0, 0 },
  { "PAS-005", "Cardamom Bun", 290, 4, 6, 0, 0 },
  { "PAS-006", "Apple Turnover", 260, 4, 4, 0, 0 },
  { "PAS-007", "Danish Pastry", 260, 4, 4, 0, 0 },
  { "PAS-008", "Pain aux Raisins", 240, 3, 4, 0, 0 },
  { "PAS-009", "Custard Tart", 250, 3, 4, 0, 0 },
  { "PAS-010", "Blueberry Muffin", 260, 4, 6, 0, 0 },
  { "PAS-011", "Chocolate Brownie", 280, 5, 6, 0, 0 },
  { "PAS-012", "Scone with Clotted Cream", 320, 3, 4, 0, 0 },
  { "CAK-001", "Apple Cake, slice", 340, 5, 4, 0, 0 },
  { "CAK-002", "Cheesecake, slice", 390, 5, 4, 0, 0 },
  { "CAK-003", "Carrot Cake, slice", 370, 4, 4, 0, 0 },
  { "CAK-004", "Black Forest Cake, slice", 420, 3, 4, 0, 0 },
  { "CAK-005", "Lemon Drizzle Loaf Cake", 1290, 2, 2, 0, 0 },
  { "CAK-006", "Banana Bread", 990, 2.5, 2, 0, 0 },
  { "CAK-007", "Marble Cake", 1190, 2, 1, 0, 0 },
  { "CAK-008", "Plum Crumble Cake, tray", 2490, 1.2, 1, 0, 0 },
  { "CAK-009", "Lemon Tart 24 cm", 2290, 1.5, 1, 0, CAKE },
  { "CAK-010", "Chocolate Torte 24 cm", 2890, 1.5, 1, 0, CAKE },
  { "CAK-011", "Bee Sting Cake, slice", 380, 3, 4, 0, 0 },
  { "CAK-012", "Tiramisu, slice", 410, 3, 4, 0, 0 },
  { "CAK-013", "Raspberry Macarons, box of 6", 1180, 2.5, 3, 0, 0 },
  { "CEL-001", "Birthday Cake 20 cm", 3900, 3, 1, 0, PRE | CAKE },
  { "CEL-002", "Birthday Cake 26 cm", 5900, 1.5, 1, 0, PRE | CAKE },
  { "CEL-003", "Number Cake", 6900, 1, 1, 0, PRE | CAKE },
  { "CEL-004", "Wedding Cake, three tiers", 29000, 0.15, 1, 0, PRE | CAKE },
  { "CEL-005", "Christening Cake", 4900, 0.4, 1, 0, PRE | CAKE },
  { "CEL-006", "Photo Cake", 4500, 0.8, 1, 0, PRE | CAKE },
  { "CEL-007", "Cupcakes, box of 12", 3200, 1.5, 2, 0, PRE },
  { "CEL-008", "Gluten-Free Celebration Cake", 4900, 0.5, 1, 0, PRE | CAKE },
  { "BIS-001", "Butter Shortbread, tin", 850, 2, 2, 0, 0 },
  { "BIS-002", "Oat and Raisin Cookies, bag of 6", 550, 3, 3, 0, 0 },
  { "BIS-003", "Chocolate Chip Cookies, bag of 6", 590, 4, 3, 0, 0 },
  { "BIS-004", "Almond Biscotti", 690, 2, 2, 0, 0 },
  { "BIS-005", "Florentines, box of 8", 890, 1.5, 2, 0, 0 },
  { "BIS-006", "Amaretti", 720, 1.5, 2, 0, 0 },
  { "BIS-007", "Gingerbread Biscuits", 650, 1, 2, 0, 0 },
  { "BIS-008", "Cantuccini", 690, 2, 2, 0, 0 },
  { "SAV-001", "Quiche Lorraine, slice", 480, 4, 4, 0, 0 },
  { "SAV-002", "Spinach and Feta Quiche, slice", 480, 3.5, 4, 0, 0 },
  { "SAV-003", "Sausage Roll", 350, 5, 6, 0, 0 },
  { "SAV-004", "Ham and Cheese Croissant", 420, 5, 4, 0, 0 },
  { "SAV-005", "Caprese Sandwich", 590, 5, 4, 0, 0 },
  { "SAV-006", "Smoked Salmon Bagel", 690, 3, 3, 0, 0 },
  { "SAV-007", "Soup of the Day", 550, 3, 3, 0, 0 },
  { "SAV-008", "Cheese and Onion Pasty", 420, 3, 4, 0, 0 },
  { "SAV-009", "Quiche Lorraine 24 cm", 2400, 1, 2, 0, PRE },
  { "SAV-010", "Pizza Bianca, slice", 390, 3, 4, 0, 0 },
  { "CHE-001", "Comté 18 Months, 200 g", 790, 2.5, 2, 0, 0 },
  { "CHE-002", "Aged Gouda, 200 g", 620, 2, 2, 0, 0 },
  { "CHE-003", "Brie de Meaux, 200 g", 690, 2.5, 2, 0, 0 },
  { "CHE-004", "Gorgonzola Dolce, 200 g", 640, 1.2, 2, 0, 0 },
  { "CHE-005", "Manchego, 200 g", 720, 1.5, 2, 0, 0 },
  { "CHE-006", "Goat's Cheese Log", 590, 1.2, 2, 0, 0 },
  { "CHE-007", "Parmigiano Reggiano, 250 g", 890, 2, 2, 0, 0 },
  { "CHE-008", "Mozzarella di Bufala", 450, 2.5, 3, 0, 0 },
  { "CHE-009", "Mature Cheddar, 200 g", 580, 1.5, 2, 0, 0 },
  { "CHE-010", "Alpine Mountain Cheese, 200 g", 760, 1.2, 2, 0, 0 },
  { "CHA-001", "Prosciutto di Parma, 100 g", 590, 2, 2, 0, 0 },
  { "CHA-002", "Salami Milano, 100 g", 450, 2, 2, 0, 0 },
  { "CHA-003", "Chorizo, 150 g", 520, 1.2, 2, 0, 0 },
  { "CHA-004", "Black Forest Ham, 100 g", 490, 1.5, 2, 0, 0 },
  { "CHA-005", "Duck Rillettes", 690, 0.8, 2, 0, 0 },
  { "CHA-006", "Country Pâté", 590, 1, 2, 0, 0 },
  { "CHA-007", "Smoked Salmon, 150 g", 890, 1.5, 2, 0, 0 },
  { "DEL-001", "Marinated Olives, 250 g", 490, 2, 2, 0, 0 },
  { "DEL-002", "Sun-Dried Tomatoes", 550, 1.2, 2, 0, 0 },
  { "DEL-003", "Grilled Artichokes", 690, 1, 2, 0, 0 },
  { "DEL-004", "Basil Pesto", 590, 1.5, 2, 0, 0 },
  { "DEL-005", "Hummus", 390, 1.5, 2, 0, 0 },
  { "DEL-006", "Onion Chutney", 490, 1.2, 2, 0, 0 },
  { "DEL-007", "Fig Mustard", 520, 0.8, 2, 0, 0 },
  { "DEL-008", "Crackers for Cheese", 450, 2, 2, 0, 0 },
  { "PAN-001", "Strawberry Jam", 490, 2, 2, 0, 0 },
  { "PAN-002", "Seville Orange Marmalade", 490, 1.2, 2, 0, 0 },
  { "PAN-003", "Wildflower Honey", 790, 1.5, 2, 0, 0 },
  { "PAN-004", "Extra Virgin Olive Oil, 500 ml", 1290, 1, 2, 0, 0 },
  { "PAN-005", "Balsamic Vinegar, 250 ml", 990, 0.8, 1, 0, 0 },
  { "PAN-006", "Espresso Beans, 250 g", 890, 2.5, 2, 0, 0 },
  { "PAN-007", "Filter Coffee, 250 g", 790, 1.5, 2, 0, 0 },
  { "PAN-008", "Earl Grey Tea", 650, 1.2, 2, 0, 0 },
  { "PAN-009", "Hot Chocolate Flakes", 790, 1, 2, 0, 0 },
  { "PAN-010", "Sea Salt Flakes", 450, 0.5, 1, 0, 0 },
  { "PAN-011", "Butter, 250 g", 350, 3, 2, 0, 0 },
  { "PAN-012", "Free-Range Eggs, box of 6", 320, 2.5, 3, 0, 0 },
  { "DRK-001", "Fresh Orange Juice, 1 l", 490, 3, 3, 0, 0 },
  { "DRK-002", "Cloudy Apple Juice, 1 l", 390, 2, 3, 0, 0 },
  { "DRK-003", "Homemade Lemonade", 350, 2, 4, 0, 0 },
  { "DRK-004", "Elderflower Cordial", 690, 0.8, 2, 0, 0 },
  { "DRK-005", "Prosecco", 1490, 1.2, 3, 0, 0 },
  { "DRK-006", "Red Wine, Montepulciano", 1290, 1, 3, 0, 0 },
  { "DRK-007", "Craft Cider", 390, 1, 6, 0, 0 },
  { "DRK-008", "Sparkling Water", 190, 2, 6, 0, 0 },
  { "GFT-001", "Greeting Card", 350, 2, 2, 0, 0 },
  { "GFT-002", "Birthday Candles", 290, 1.5, 2, 0, 0 },
  { "GFT-003", "Gift Wrapping", 300, 1.5, 2, 0, 0 },
  { "GFT-004", "Scented Candle", 1890, 0.6, 2, 0, 0 },
  { "GFT-005", "Ceramic Mug", 1490, 0.6, 2, 0, 0 },
  { "GFT-006", "Linen Tea Towel", 1290, 0.5, 2, 0, 0 },
  { "GFT-007", "Linen Bread Bag", 1190, 0.5, 1, 0, 0 },
  { "GFT-008", "Gift Voucher 25", 2500, 0.6, 2, 0, 0 },
  { "GFT-009", "Gift Voucher 50", 5000, 0.3, 1, 0, 0 },
  { "GFT-010", "Small Gift Hamper", 3900, 0.8, 2, 0, PRE },
  { "GFT-011", "Deluxe Gift Hamper", 7900, 0.4, 2, 0, PRE },
  { "GFT-012", "Cheese Lover's Box", 4900, 0.5, 2, 0, PRE },
  { "CAT-001", "Sandwich Platter for 10", 5900, 1, 3, 0, PRE },
  { "CAT-002", "Breakfast Pastry Platter, 12 pieces", 3200, 1, 3, 0, PRE },
  { "CAT-003", "Cheese Platter for 8", 6900, 0.6, 2, 0, PRE },
  { "CAT-004", "Antipasti Platter for 8", 6400, 0.5, 2, 0, PRE },
  { "CAT-005", "Mini Quiche Platter, 24 pieces", 4800, 0.6, 2, 0, PRE },
  { "SEA-001", "Christmas Stollen 1 kg", 1890, 8, 2, XMAS, 0 },
  { "SEA-002", "Panettone", 2490, 4, 2, XMAS, 0 },
  { "SEA-003", "Mince Pies, box of 6", 890, 5, 3, XMAS, 0 },
  { "SEA-004", "Gingerbread House", 2900, 1.5, 1, XMAS, PRE },
  { "SEA-005", "Yule Log", 3490, 2, 1, XMAS, PRE | CAKE },
  { "SEA-006", "Lebkuchen Gift Tin", 1490, 3, 2, XMAS, 0 },
  { "SEA-007", "Christmas Hamper", 9900, 1.5, 2, XMAS, PRE },
  { "SEA-008", "Hot Cross Buns, pack of 4", 490, 10, 4, SEASON_EASTER, 0 },
  { "SEA-009", "Easter Braid", 1290, 5, 2, SEASON_EASTER, 0 },
  { "SEA-010", "Simnel Cake", 2890, 1.5, 1, SEASON_EASTER, PRE | CAKE },
  { "SEA-011", "Chocolate Easter Egg", 1290, 4, 3, SEASON_EASTER, 0 },
  { "SEA-012", "Heart Shortbread, box", 990, 6, 3, SEASON_VALENTINE, 0 },
  { "SEA-013", "Red Velvet Heart Cake", 3490, 3, 1, SEASON_VALENTINE, PRE | CAKE },
  { "SEA-014", "Chocolate Truffles, box of 12", 1690, 4, 2,
    SEASON_VALENTINE | SEASON_MOTHERS, 0 },
  { "SEA-015", "Mother's Day Flower Cake", 3900, 3, 1, SEASON_MOTHERS, PRE | CAKE },
  { "SEA-016", "Breakfast in Bed Box", 4500, 2, 1, SEASON_MOTHERS, PRE },
  { "SEA-017", "Strawberry Shortcake", 2690, 3, 2, SEASON_SUMMER, 0 },
  { "SEA-018", "Iced Coffee", 390, 4, 4, SEASON_SUMMER, 0 },
  { "SEA-019", "Pumpkin Bread", 590, 3, 2, SEASON_AUTUMN, 0 },
  { "SEA-020", "Spiced Pumpkin Muffin", 290, 3, 6, SEASON_AUTUMN, 0 },
};

#undef XMAS
#undef PRE
#undef CAKE

/* Bought together: what "also ordered" recommendations should find. */
static const char * const partners[][2] = {
  { "BRD-001", "PAN-011" }, { "BRD-001", "CHE-001" }, { "BRD-007", "CHE-003" },
  { "BRD-007", "DEL-001" }, { "BRD-007", "CHA-001" }, { "BRD-008", "CHE-008" },
  { "CHE-008", "DEL-002" }, { "BRD-009", "DEL-001" }, { "PAS-001", "PAS-002" },
  { "PAS-001", "PAN-001" }, { "PAS-001", "DRK-001" }, { "PAS-002", "PAS-003" },
  { "PAS-004", "PAS-005" }, { "PAS-004", "PAN-006" }, { "PAS-012", "PAN-001" },
  { "PAS-012", "PAN-008" }, { "CHE-001", "DEL-008" }, { "CHE-002", "DEL-008" },
  { "CHE-005", "CHA-003" }, { "CHE-003", "DEL-007" }, { "CHE-004", "DEL-006" },
  { "CHE-009", "DEL-006" }, { "CHA-001", "CHA-002" }, { "CHA-001", "CHE-007" },
  { "CEL-001", "GFT-002" }, { "CEL-001", "GFT-001" }, { "CEL-002", "GFT-002" },
  { "CEL-003", "GFT-002" }, { "CEL-007", "GFT-002" }, { "CEL-005", "GFT-001" },
  { "GFT-010", "GFT-001" }, { "GFT-011", "GFT-001" }, { "GFT-011", "DRK-005" },
  { "GFT-012", "DRK-006" }, { "PAN-006", "BIS-004" }, { "PAN-006", "BIS-008" },
  { "PAN-008", "BIS-001" }, { "ROL-001", "PAN-011" }, { "ROL-001", "PAN-012" },
  { "ROL-003", "PAN-011" }, { "SAV-005", "DRK-003" }, { "SAV-006", "DRK-001" },
  { "SAV-001", "SAV-007" }, { "CAT-001", "DRK-008" }, { "CAT-001", "CAT-005" },
  { "CAT-002", "DRK-001" }, { "CAT-003", "DRK-006" }, { "CAT-003", "DEL-008" },
  { "CAT-004", "BRD-009" }, { "SEA-001", "SEA-006" }, { "SEA-002", "DRK-005" },
  { "SEA-003", "PAN-008" }, { "SEA-008", "PAN-011" }, { "SEA-009", "PAN-012" },
  { "SEA-011", "GFT-001" }, { "SEA-012", "SEA-014" }, { "SEA-013", "DRK-005" },
  { "SEA-014", "GFT-001" }, { "SEA-015", "GFT-001" }, { "SEA-016", "DRK-001" },
  { "SEA-017", "DRK-003" }, { "CAK-002", "PAN-006" }, { "CAK-012", "PAN-006" },
  { "CAK-004", "CAK-002" }, { "BIS-003", "BIS-002" },
};

/* For catalogues larger than the built-in one. */
static const char * const variant_words[] = {
  "Large", "Small", "Organic", "Family Size", "Gift Edition", "Mini", "Vegan", "Limited Edition",
};

/* ------------------------------------------------------------------ */
/* People and words                                                    */

static const char * const first_names[] = {
  "Anna", "Lukas", "Emma", "Leon", "Sophie", "Paul", "Marie", "Jonas", "Lena", "Felix",
  "Laura", "Maximilian", "Julia", "Elias", "Hannah", "Noah", "Lea", "Ben", "Mia", "Finn",
  "Clara", "Luca", "Sarah", "Tim", "Lisa", "Jan", "Katharina", "David", "Johanna", "Daniel",
  "Charlotte", "Thomas", "Amelie", "Michael", "Ella", "Andreas", "Nora", "Stefan", "Paula",
  "Markus", "Greta", "Christian", "Frieda", "Peter", "Ida", "Klaus", "Mila", "Wolfgang",
  "Lucia", "Jürgen", "Giulia", "Matteo", "Chiara", "Lorenzo", "Francesca", "Marco", "Elena",
  "Giovanni", "Camille", "Antoine", "Chloé", "Louis", "Manon", "Hugo", "Inès", "Julien",
  "Léa", "Mathieu", "Isabel", "Pablo", "Carmen", "Javier", "Lucía", "Diego", "Sofia",
  "Miguel", "Olivia", "João", "Alice", "Pedro", "Eva", "Mehmet", "Anja", "Emre", "Sandra",
  "Piotr", "Petra", "Tomasz", "Sabine", "Lars", "Monika", "Erik", "Claudia", "Sven",
  "Ingrid", "Bram", "Birgit", "Daan", "Ursula", "Sem", "Fatma", "Liam", "Ayşe", "Oliver",
  "Zeynep", "James", "Agnieszka", "Samuel", "Katarzyna", "Niklas", "Ewa", "Moritz", "Maja",
  "Jakob", "Astrid", "Emil", "Freya", "Anton", "Sanne", "Femke", "Noor", "Aoife", "Siobhan",
};

static const char * const last_names[] = {
  "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
  "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
  "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
  "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
  "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
  "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Friedrich", "Keller", "Günther",
  "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz", "Baumann", "Franke", "Albrecht",
  "Ludwig", "Rossi", "Russo", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
  "Bruno", "Conti", "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
  "Durand", "Leroy", "Moreau", "Laurent", "Lefebvre", "García", "Fernández", "González",
  "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Silva", "Santos", "Ferreira",
  "Yılmaz", "Kaya", "Demir", "Şahin", "Nowak", "Kowalski", "Wiśniewski", "de Jong",
  "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smith", "Murphy", "O'Brien",
  "Kelly", "Andersen", "Nielsen", "Hansen", "Johansson", "Lindqvist", "Novák", "Horváth",
  "Papadopoulos",
};

static const char * const business_kinds[] = {
  "Café", "Hotel", "Bistro", "Kita", "Praxis", "Kanzlei", "Studio", "Restaurant", "Weinbar",
  "Atelier",
};

static const char * const business_names[] = {
  "Lindenhof", "am Markt", "Sonnenschein", "Adler", "Krone", "Rosengarten", "Nord",
  "Am Park", "Central", "Bellevue", "Zur Post", "Seeblick", "Altstadt", "Morgenrot",
  "Kastanie", "Hafen", "Kleeblatt", "Bahnhof", "Mühle", "Lichtblick", "Schwan", "Sonne",
  "Eiche", "Löwen", "Am Dom", "Süd", "Weinberg", "Brücke", "Rathaus", "Stern",
};

static const char * const districts[] = {
  "Mitte", "Altstadt", "Nordend", "Südstadt", "Westend", "Hafen", "Neustadt", "Ostpark",
};

static const char * const email_domains[] = {
  "example.com", "example.org", "example.net", "mail.example", "post.example",
};

static const char * const staff[] = {
  "Greta", "Luca", "Mira", "Jonas", "Aylin", "Tobias",
};

static const char * const customer_reasons[] = {
  "Plans changed",
  "Ordered by mistake",
  "The party was called off",
  "Ordered twice by accident",
  "Guests cancelled",
  "Found it cheaper elsewhere",
  "Wrong date, will order again",
  "Going away that weekend",
};

static const char * const shop_reasons[] = {
  "Out of stock: the flour delivery did not arrive",
  "Could not reach the customer to confirm",
  "Payment not received",
  "Duplicate of another order",
  "Oven breakdown, could not bake in time",
};

static const char * const order_notes[] = {
  "Please slice the bread",
  "Gluten-free, please",
  "Nut allergy in the family",
  "Will pick up at the side door",
  "Please call when it is ready",
  "Paper bag, no plastic please",
  "Please keep it cool until pickup",
  "My neighbour will collect it",
  "Extra napkins, please",
  "No sesame, please",
};

static const char * const business_notes[] = {
  "Deliver to the kitchen entrance before 7:30",
  "Invoice to the company address",
  "Weekly standing order",
  "For the staff meeting",
  "Half of it vegetarian, please",
};

/* Message templates for cakes: text before and after a first name. */
static const char * const cake_messages[][2] = {
  { "Please write “Happy Birthday, ", "!” on the cake" },
  { "Message on the cake: “Congratulations, ", "”" },
  { "Message: “Happy 40th, ", "”" },
  { "Message: “Welcome, baby ", "”" },
  { "Message: “Thank you, ", "!”" },
  { "Message: “Good luck, ", "”" },
};

static const char * const customer_notes[] = {
  "Prefers a call to e-mail",
  "Nut allergy",
  "Coeliac: gluten-free only",
  "Regular Saturday pickup",
  "Likes the crust well done",
};

/* Order weights by hour (local time), for the hours the shop is open. */
static const double weekday_hours[24] = {
  [7] = 0.9, [8] = 1.4, [9] = 1.1, [10] = 0.8, [11] = 1.0, [12] = 1.2,
  [13] = 0.9, [14] = 0.6, [15] = 0.7, [16] = 0.9, [17] = 1.0, [18] = 0.6,
};
static const double saturday_hours[24] = {
  [7] = 0.8, [8] = 1.3, [9] = 1.6, [10] = 1.5, [11] = 1.3, [12] = 1.0,
  [13] = 0.8, [14] = 0.6, [15] = 0.5, [16] = 0.4,
};
static const double sunday_hours[24] = {
  [8] = 1.0, [9] = 1.5, [10] = 1.4, [11] = 1.0, [12] = 0.6,
};

/* Monday … Sunday: Saturday is the busiest day, Sunday (mornings only) the
 * quietest. */
static const double weekday_factor[7] = { 0.85, 0.9, 0.95, 1.0, 1.2, 1.55, 0.5 };

/* ------------------------------------------------------------------ */
/* State                                                               */

typedef struct
{
  gint64    hour_start[25];   /* µs of hh:00 local time; [24] = next midnight */
  double    hour_cum[24];     /* order weights by hour, cumulative, cut at end_time */
  double    due_cum[24];      /* the same without the cut: when orders are due */
  double    weight;           /* the day's share of the orders, relative */
  guint     n_orders;
  guint8    open;
  guint8    close;            /* open == close: closed all day */
  guint8    weekday;          /* 1 Monday … 7 Sunday */
  guint8    season;
  int       holiday_day;      /* pre-order time: the holiday's day index; else -1 */
} DemoDay;

typedef struct
{
  char     *id;
  char     *sku;
  char     *name;
  gint64    price;
  double    weight;
  guint     max_qty;
  guint     season;
  guint     flags;
  guint     partners[MAX_PARTNERS];
  guint     n_partners;
} DemoProduct;

typedef struct
{
  gboolean  built;
  double   *cum;
  guint    *products;
  guint     n;
} DemoTable;

typedef enum
{
  CUSTOMER_PRIVATE,
  CUSTOMER_WALK_IN,   /* comes to the counter: no e-mail, seldom online */
  CUSTOMER_BUSINESS,  /* cafés, offices: often, more, ahead, with a trade discount */
} DemoCustomerKind;

typedef struct
{
  char     *id;
  char     *name;
  guint     since_day;
  guint     n_orders;
  guint     n_cancelled;
  float     recent;       /* cancellations, the last ones counting most */
  guint8    kind;
  gboolean  flaky;        /* cancels more often than others */
} DemoCustomer;

typedef struct
{
  guint     product;
  gint64    quantity;
  gint64    discount;
} DemoLine;

typedef struct
{
  gint64        at;
  OrdEventKind  kind;
  int           from;
  int           to;
  const char   *actor;
  const char   *reason;
} DemoEvent;

typedef struct
{
  gint64     created_at;
  gint64     due_at;
  guint      customer;
  DemoLine   lines[MAX_LINES];
  guint      n_lines;
  gint64     discount;
  char      *notes;
  DemoEvent  events[MAX_EVENTS];
  guint      n_events;
} DemoPlan;

typedef struct
{
  OrdStore        *store;
  GRand           *rand;      /* the shop */
  GRand           *id_rand;   /* ids only: the shop does not depend on how ids are made */
  GTimeZone       *tz;
  char            *currency;
  guint            digits;
  guint            tax_rate;
  gint64           end_time;
  guint            n_orders;
  guint            batch_size;

  DemoDay         *days;
  guint            n_days;      /* days with orders, the last one holds end_time */
  guint            n_all_days;  /* and FUTURE_DAYS more for due dates */
  double          *day_cum;

  DemoProduct     *products;
  guint            n_products;
  DemoTable        tables[N_SEASON_MASKS][N_MODES];

  DemoCustomer    *customers;
  guint            n_customers;
  double          *alias_prob;
  guint           *alias;
  double          *first_cum;
  double          *last_cum;

  /* where the writing is */
  guint            day;
  guint            in_day;
  gint64          *times;
  guint            n_written;
  guint            customers_saved;
} Demo;

static void
demo_free (Demo *self)
{
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->id_rand, g_rand_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_free (self->currency);
  g_free (self->days);
  g_free (self->day_cum);
  for (guint i = 0; i < self->n_products; i++)
    {
      g_free (self->products[i].id);
      g_free (self->products[i].sku);
      g_free (self->products[i].name);
    }
  g_free (self->products);
  for (guint s = 0; s < N_SEASON_MASKS; s++)
    for (guint m = 0; m < N_MODES; m++)
      {
        g_free (self->tables[s][m].cum);
        g_free (self->tables[s][m].products);
      }
  for (guint i = 0; i < self->n_customers; i++)
    {
      g_free (self->customers[i].id);
      g_free (self->customers[i].name);
    }
  g_free (self->customers);
  g_free (self->alias_prob);
  g_free (self->alias);
  g_free (self->first_cum);
  g_free (self->last_cum);
  g_free (self->times);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Demo, demo_free)

/* ------------------------------------------------------------------ */
/* Random helpers                                                      */

static double
rnd_range (GRand  *r,
           double  lo,
           double  hi)
{
  return lo + (hi - lo) * g_rand_double (r);
}

static gboolean
rnd_chance (GRand  *r,
            double  p)
{
  return g_rand_double (r) < p;
}

static guint
rnd_index (GRand *r,
           guint  n)
{
  g_assert (n > 0 && n <= G_MAXINT32);
  return (guint) g_rand_int_range (r, 0, (gint32) n);
}

static double
rnd_normal (GRand *r)
{
  double u1 = 1.0 - g_rand_double (r);  /* (0, 1] */
  double u2 = g_rand_double (r);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* A duration between @lo and @hi, in whole seconds. */
static gint64
rnd_span (GRand  *r,
          gint64  lo,
          gint64  hi)
{
  gint64 s = (gint64) ((double) (hi - lo) / G_USEC_PER_SEC * g_rand_double (r));

  return lo + s * G_USEC_PER_SEC;
}

/* The first index whose cumulative weight exceeds @u. */
static guint
pick_cumulative (const double *cum,
                 guint         n,
                 double        u)
{
  guint lo = 0;
  guint hi = n - 1;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (cum[mid] > u)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

static guint
rnd_cumulative (GRand        *r,
                const double *cum,
                guint         n)
{
  return pick_cumulative (cum, n, g_rand_double (r) * cum[n - 1]);
}

/* Vose's alias method: O(1) draws from many weights (the customers). */
static void
alias_build (const double *w,
             guint         n,
             double       *prob,
             guint        *alias)
{
  g_autofree guint *small = g_new (guint, n);
  g_autofree guint *large = g_new (guint, n);
  g_autofree double *p = g_new (double, n);
  guint n_small = 0, n_large = 0;
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += w[i];
  for (guint i = 0; i < n; i++)
    {
      p[i] = w[i] * n / sum;
      if (p[i] < 1.0)
        small[n_small++] = i;
      else
        large[n_large++] = i;
    }
  while (n_small > 0 && n_large > 0)
    {
      guint s = small[--n_small];
      guint l = large[--n_large];

      prob[s] = p[s];
      alias[s] = l;
      p[l] = (p[l] + p[s]) - 1.0;
      if (p[l] < 1.0)
        small[n_small++] = l;
      else
        large[n_large++] = l;
    }
  while (n_large > 0)
    {
      guint l = large[--n_large];
      prob[l] = 1.0;
      alias[l] = l;
    }
  while (n_small > 0)
    {
      guint s = small[--n_small];
      prob[s] = 1.0;
      alias[s] = s;
    }
}

/* ------------------------------------------------------------------ */
/* The calendar                                                        */

/* Easter Sunday (Gregorian), the anonymous algorithm. */
static void
easter_date (guint  year,
             GDate *date)
{
  guint a = year % 19, b = year / 100, c = year % 100;
  guint d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  guint h = (19 * a + b - d - g + 15) % 30;
  guint i = c / 4, k = c % 4;
  guint l = (32 + 2 * e + 2 * i - h - k) % 7;
  guint m = (a + 11 * h + 22 * l) / 451;
  guint month = (h + l - 7 * m + 114) / 31;
  guint day = ((h + l - 7 * m + 114) % 31) + 1;

  g_date_clear (date, 1);
  g_date_set_dmy (date, day, month, year);
}

/* The second Sunday of May. */
static void
mothers_day (guint  year,
             GDate *date)
{
  guint first_sunday;

  g_date_clear (date, 1);
  g_date_set_dmy (date, 1, G_DATE_MAY, year);
  first_sunday = 1 + (7 - g_date_get_weekday (date)) % 7;
  g_date_set_day (date, first_sunday + 7);
}

static double
holiday_factor (guint month,
                guint mday,
                int   easter_diff,
                int   mothers_diff)
{
  double f = 1.0;

  if (month == 12 && mday <= 24)
    f *= 1.0 + 1.6 * pow ((mday - 1) / 23.0, 2.0);
  else if (month == 12 && mday >= 27 && mday <= 30)
    f *= 0.9;
  else if (month == 12 && mday == 31)
    f *= 1.6;
  else if (month == 11 && mday >= 20)
    f *= 1.1;

  if (easter_diff >= -7 && easter_diff <= -3)
    f *= 1.25;
  else if (easter_diff == -2)
    f *= 1.9;
  else if (easter_diff == -1)
    f *= 1.8;
  else if (easter_diff == 0)
    f *= 1.4;
  else if (easter_diff == 1)
    f *= 0.8;

  if (month == 2 && mday == 14)
    f *= 1.9;
  else if (month == 2 && mday == 13)
    f *= 1.4;
  else if (month == 2 && mday == 12)
    f *= 1.15;

  if (mothers_diff == 0)
    f *= 2.6;
  else if (mothers_diff == -1)
    f *= 1.5;
  else if (mothers_diff == -2)
    f *= 1.2;

  return f;
}

static gint64
local_time (GTimeZone *tz,
            GDate     *date,
            int        hour)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, g_date_get_year (date),
                                             g_date_get_month (date),
                                             g_date_get_day (date), hour, 0, 0);

  g_assert (dt != NULL);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
demo_setup_days (Demo *self)
{
  g_autoptr(GDateTime) end_utc = NULL;
  g_autoptr(GDateTime) end_local = NULL;
  GDate end_date, start_date;
  GDate easter[4], mothers[4];
  guint first_year;
  double sum = 0;

  end_utc = g_date_time_new_from_unix_utc (self->end_time / G_USEC_PER_SEC);
  end_local = g_date_time_to_timezone (end_utc, self->tz);
  g_date_clear (&end_date, 1);
  g_date_set_dmy (&end_date, g_date_time_get_day_of_month (end_local),
                  g_date_time_get_month (end_local), g_date_time_get_year (end_local));
  start_date = end_date;
  g_date_subtract_years (&start_date, HISTORY_YEARS);

  self->n_days = g_date_days_between (&start_date, &end_date) + 1;
  self->n_all_days = self->n_days + FUTURE_DAYS;
  self->days = g_new0 (DemoDay, self->n_all_days);
  self->day_cum = g_new (double, self->n_days);

  first_year = g_date_get_year (&start_date);
  /* Two years back, and due dates may reach into the next year. */
  for (guint y = 0; y < G_N_ELEMENTS (easter); y++)
    {
      easter_date (first_year + y, &easter[y]);
      mothers_day (first_year + y, &mothers[y]);
    }

  for (guint i = 0; i < self->n_all_days; i++)
    {
      DemoDay *day = &self->days[i];
      GDate date = start_date;
      GDate next;
      const double *profile;
      guint year_index, month, mday;
      int easter_diff, mothers_diff;
      double full = 0, cut = 0, t, doy, weekly, yearly;
      gboolean closed;

      g_date_add_days (&date, i);
      next = date;
      g_date_add_days (&next, 1);
      month = g_date_get_month (&date);
      mday = g_date_get_day (&date);
      day->weekday = g_date_get_weekday (&date);
      year_index = MIN (g_date_get_year (&date) - first_year, G_N_ELEMENTS (easter) - 1);
      easter_diff = g_date_days_between (&easter[year_index], &date);
      mothers_diff = g_date_days_between (&mothers[year_index], &date);

      closed = (month == 12 && (mday == 25 || mday == 26)) || (month == 1 && mday == 1);
      if (closed)
        {
          day->open = day->close = 10;
          profile = weekday_hours;
        }
      else if (day->weekday == G_DATE_SUNDAY || easter_diff == 1)
        {
          day->open = 8;
          day->close = 13;
          profile = sunday_hours;
        }
      else if (month == 12 && (mday == 24 || mday == 31))
        {
          day->open = 7;
          day->close = 14;
          profile = weekday_hours;
        }
      else if (day->weekday == G_DATE_SATURDAY)
        {
          day->open = 7;
          day->close = 17;
          profile = saturday_hours;
        }
      else
        {
          day->open = 7;
          day->close = 19;
          profile = weekday_hours;
        }

      for (int h = 0; h < 24; h++)
        day->hour_start[h] = local_time (self->tz, &date, h);
      day->hour_start[24] = local_time (self->tz, &next, 0);

      for (int h = 0; h < 24; h++)
        {
          double w = (h >= day->open && h < day->close) ? profile[h] : 0.0;
          gint64 span = day->hour_start[h + 1] - day->hour_start[h];
          gint64 before_end = CLAMP (self->end_time - day->hour_start[h], 0, span);
          double c = 0.0;

          /* Whole seconds only, so that a time drawn in the hour stays
           * before end_time. */
          if (span > 0 && before_end >= G_USEC_PER_SEC)
            c = w * (double) before_end / span;
          full += w;
          cut += c;
          day->due_cum[h] = full;
          day->hour_cum[h] = cut;
        }

      day->season = 0;
      if ((month == 11 && mday >= 15) || (month == 12 && mday <= 26))
        day->season |= SEASON_CHRISTMAS;
      if (easter_diff >= -28 && easter_diff <= 1)
        day->season |= SEASON_EASTER;
      if (month == 2 && mday <= 14)
        day->season |= SEASON_VALENTINE;
      if (mothers_diff >= -12 && mothers_diff <= 0)
        day->season |= SEASON_MOTHERS;
      if (month >= 6 && month <= 8)
        day->season |= SEASON_SUMMER;
      if ((month == 9 && mday >= 15) || month == 10 || (month == 11 && mday < 15))
        day->season |= SEASON_AUTUMN;
      if (holiday_factor (month, mday, easter_diff, mothers_diff) >= 1.4)
        day->season |= SEASON_PEAK;

      /* Weeks before a holiday many orders are placed for it. */
      day->holiday_day = -1;
      if (month == 12 && mday <= 21)
        day->holiday_day = (int) (i + 24 - mday);
      else if (easter_diff >= -24 && easter_diff <= -4)
        day->holiday_day = (int) i - 1 - easter_diff;
      else if (month == 2 && mday <= 11)
        day->holiday_day = (int) (i + 14 - mday);
      else if (mothers_diff >= -16 && mothers_diff <= -3)
        day->holiday_day = (int) i - mothers_diff;
      if (day->holiday_day >= (int) self->n_all_days)
        day->holiday_day = -1;

      if (i >= self->n_days)
        continue;

      t = self->n_days > 1 ? (double) i / (self->n_days - 1) : 1.0;
      doy = g_date_get_day_of_year (&date);
      weekly = weekday_factor[day->weekday - 1];
      yearly = 1.0 + 0.08 * cos (2 * G_PI * (doy - 350) / 365.25)
               - 0.15 * exp (-pow ((doy - 215) / 22.0, 2.0));
      /* A day's own luck: weather, a market next door. */
      day->weight = (1.0 + 0.5 * t) * weekly * yearly
                    * holiday_factor (month, mday, easter_diff, mothers_diff)
                    * exp (0.1 * rnd_normal (self->rand));
      if (closed || full <= 0)
        day->weight = 0;
      else
        day->weight *= cut / full;

      sum += day->weight;
      self->day_cum[i] = sum;
    }
}

/* ------------------------------------------------------------------ */
/* Products                                                            */

static gint64
demo_price (Demo  *self,
            guint  cents)
{
  /* Euro-sized prices in the currency's minor units; for a currency
   * without them (JPY) the numbers still look like prices. */
  if (self->digits == 3)
    return (gint64) cents * 10;
  return cents;
}

static guint
find_sku (Demo       *self,
          const char *sku)
{
  for (guint i = 0; i < self->n_products; i++)
    if (strcmp (self->products[i].sku, sku) == 0)
      return i;

  return G_MAXUINT;
}

static void
add_partner (DemoProduct *p,
             guint        other)
{
  for (guint i = 0; i < p->n_partners; i++)
    if (p->partners[i] == other)
      return;
  if (p->n_partners < MAX_PARTNERS)
    p->partners[p->n_partners++] = other;
}

static void
demo_setup_products (Demo  *self,
                     guint  n_products)
{
  guint n_base = G_N_ELEMENTS (catalogue);
  gint64 start_ms = self->days[0].hour_start[0] / 1000;

  self->n_products = n_products ? n_products : n_base;
  self->products = g_new0 (DemoProduct, self->n_products);

  for (guint i = 0; i < self->n_products; i++)
    {
      const CatalogueEntry *e = &catalogue[i % n_base];
      DemoProduct *p = &self->products[i];

      p->id = ord_uuid_new_from (start_ms, self->id_rand);
      p->max_qty = e->max_qty;
      p->season = e->season;
      p->flags = e->flags;
      if (i < n_base)
        {
          p->sku = g_strdup (e->sku);
          p->name = g_strdup (e->name);
          p->price = demo_price (self, e->price);
          p->weight = e->weight;
        }
      else
        {
          guint round = i / n_base;      /* 1, 2, … */
          guint w = (round - 1) % G_N_ELEMENTS (variant_words);
          guint cycle = (round - 1) / G_N_ELEMENTS (variant_words);

          p->sku = g_strdup_printf ("%s-V%u", e->sku, round);
          if (cycle == 0)
            p->name = g_strdup_printf ("%s, %s", e->name, variant_words[w]);
          else
            p->name = g_strdup_printf ("%s, %s %u", e->name, variant_words[w], cycle + 1);
          /* Variants cost between 80 % and 150 % of the original. */
          p->price = demo_price (self, e->price) * (80 + (gint64) rnd_index (self->rand, 71)) / 100;
          p->weight = e->weight * 0.25;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (partners); i++)
    {
      guint a = find_sku (self, partners[i][0]);
      guint b = find_sku (self, partners[i][1]);

      if (a == G_MAXUINT || b == G_MAXUINT)
        continue;
      add_partner (&self->products[a], b);
      add_partner (&self->products[b], a);
    }
}

static gboolean
product_available (const DemoProduct *p,
                   guint              season,
                   DemoMode           mode)
{
  if (p->season != 0 && (p->season & season) == 0)
    return FALSE;
  if (mode == MODE_COUNTER && (p->flags & PRODUCT_PREORDER))
    return FALSE;
  if (mode == MODE_PREORDER && !(p->flags & PRODUCT_PREORDER))
    return FALSE;

  return TRUE;
}

/* What sells on a day of @season, by weight; built when first needed. */
static DemoTable *
demo_get_table (Demo     *self,
                guint     season,
                DemoMode  mode)
{
  DemoTable *t = &self->tables[season][mode];
  double sum = 0;

  if (t->built)
    return t;

  t->built = TRUE;
  t->cum = g_new (double, self->n_products);
  t->products = g_new (guint, self->n_products);
  for (guint i = 0; i < self->n_products; i++)
    {
      const DemoProduct *p = &self->products[i];
      double w = p->weight;

      if (!product_available (p, season, mode))
        continue;
      if (p->season != 0 && (season & SEASON_PEAK))
        w *= 3;
      sum += w;
      t->cum[t->n] = sum;
      t->products[t->n] = i;
      t->n++;
    }

  return t;
}

static guint
table_pick (Demo      *self,
            DemoTable *t)
{
  if (t->n == 0)
    return G_MAXUINT;

  return t->products[rnd_cumulative (self->rand, t->cum, t->n)];
}

/* ------------------------------------------------------------------ */
/* Customers                                                           */

static double *
zipf_cum (guint n)
{
  double *cum = g_new (double, n);
  double sum = 0;

  /* A few names are common, many are rare. */
  for (guint i = 0; i < n; i++)
    {
      sum += 1.0 / (i + 6.0);
      cum[i] = sum;
    }

  return cum;
}

static void
demo_setup_customers (Demo  *self,
                      guint  n_customers)
{
  g_autofree double *weights = NULL;
  guint n_business = 0;

  if (n_customers == 0)
    n_customers = CLAMP (self->n_orders / 8, 20, 500000);

  self->n_customers = n_customers;
  self->customers = g_new0 (DemoCustomer, n_customers);
  self->alias_prob = g_new (double, n_customers);
  self->alias = g_new (guint, n_customers);
  self->first_cum = zipf_cum (G_N_ELEMENTS (first_names));
  self->last_cum = zipf_cum (G_N_ELEMENTS (last_names));
  weights = g_new (double, n_customers);

  for (guint i = 0; i < n_customers; i++)
    {
      DemoCustomer *c = &self->customers[i];
      double u = g_rand_double (self->rand);

      c->kind = u < 0.02 ? CUSTOMER_BUSINESS : u < 0.20 ? CUSTOMER_WALK_IN : CUSTOMER_PRIVATE;
      /* A third were customers before the history starts; the others come
       * as the shop grows. The first one is always there. */
      if (i == 0 || rnd_chance (self->rand, 0.35))
        c->since_day = 0;
      else
        c->since_day = rnd_cumulative (self->rand, self->day_cum, self->n_days);
      c->flaky = c->kind != CUSTOMER_BUSINESS && rnd_chance (self->rand, 0.08);

      switch (c->kind)
        {
        case CUSTOMER_BUSINESS:
          weights[i] = 12.0 * exp (0.6 * rnd_normal (self->rand));
          c->name = g_strdup_printf ("%s %s",
                                     business_kinds[n_business % G_N_ELEMENTS (business_kinds)],
                                     business_names[(n_business / G_N_ELEMENTS (business_kinds))
                                                    % G_N_ELEMENTS (business_names)]);
          if (n_business >= G_N_ELEMENTS (business_kinds) * G_N_ELEMENTS (business_names))
            {
              guint k = n_business / (G_N_ELEMENTS (business_kinds) *
                                      G_N_ELEMENTS (business_names));
              char *with_district =
                g_strdup_printf ("%s %s%s", c->name,
                                 districts[(k - 1) % G_N_ELEMENTS (districts)],
                                 k > G_N_ELEMENTS (districts) ? " II" : "");
              g_free (c->name);
              c->name = with_district;
            }
          n_business++;
          break;

        case CUSTOMER_WALK_IN:
          weights[i] = 0.5 * exp (0.8 * rnd_normal (self->rand));
          break;

        case CUSTOMER_PRIVATE:
        default:
          weights[i] = exp (1.0 * rnd_normal (self->rand));
          break;
        }

      if (c->name == NULL)
        {
          guint f = rnd_cumulative (self->rand, self->first_cum, G_N_ELEMENTS (first_names));
          guint l = rnd_cumulative (self->rand, self->last_cum, G_N_ELEMENTS (last_names));

          c->name = g_strconcat (first_names[f], " ", last_names[l], NULL);
        }
    }

  alias_build (weights, n_customers, self->alias_prob, self->alias);
}

static guint
demo_pick_customer (Demo  *self,
                    guint  day)
{
  for (guint tries = 0; tries < 100; tries++)
    {
      guint i = rnd_index (self->rand, self->n_customers);

      if (g_rand_double (self->rand) >= self->alias_prob[i])
        i = self->alias[i];
      if (self->customers[i].since_day <= day)
        return i;
    }

  return 0;
}

/* "Jürgen O'Brien" → "juergenobrien" */
static char *
email_word (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "de");
  GString *s = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_tolower (*p));

  return g_string_free (s, FALSE);
}

static char *
demo_email (Demo        *self,
            const char  *name,
            GHashTable  *used)
{
  g_auto(GStrv) parts = g_strsplit (name, " ", 2);
  g_autofree char *first = email_word (parts[0]);
  g_autofree char *last = email_word (parts[1] ? parts[1] : "");
  const char *domain = email_domains[rnd_index (self->rand, G_N_ELEMENTS (email_domains))];
  g_autofree char *local = NULL;
  char *email;

  switch (rnd_index (self->rand, 4))
    {
    case 0: local = g_strdup_printf ("%s.%s", first, last); break;
    case 1: local = g_strdup_printf ("%s%s", first, last); break;
    case 2: local = g_strdup_printf ("%c.%s", first[0] ? first[0] : 'x', last); break;
    default: local = g_strdup_printf ("%s_%s%02u", first, last, rnd_index (self->rand, 100));
    }

  email = g_strdup_printf ("%s@%s", local, domain);
  for (guint n = 2; g_hash_table_contains (used, email); n++)
    {
      g_free (email);
      email = g_strdup_printf ("%s%u@%s", local, n, domain);
    }
  g_hash_table_add (used, email);

  return g_strdup (email);
}

static char *
business_email (Demo        *self,
                const char  *name,
                GHashTable  *used)
{
  g_autofree char *slug = email_word (name);
  char *email = g_strdup_printf ("orders@%s.example", slug);

  for (guint n = 2; g_hash_table_contains (used, email); n++)
    {
      g_free (email);
      email = g_strdup_printf ("orders%u@%s.example", n, slug);
    }
  g_hash_table_add (used, email);

  return g_strdup (email);
}

typedef struct
{
  Demo        *demo;
  GHashTable  *emails;
  guint        end;
} CustomerBatch;

static gboolean
save_customers (OrdStore  *store,
                gpointer   user_data,
                GError   **error)
{
  CustomerBatch *batch = user_data;
  Demo *self = batch->demo;

  for (; self->customers_saved < batch->end; self->customers_saved++)
    {
      DemoCustomer *c = &self->customers[self->customers_saved];
      g_autoptr(OrdCustomer) customer = ord_customer_new ();
      g_autofree char *email = NULL;
      g_autofree char *phone = NULL;
      const char *notes = NULL;
      gint64 since = self->days[c->since_day].hour_start[0];

      switch (c->kind)
        {
        case CUSTOMER_BUSINESS:
          email = business_email (self, c->name, batch->emails);
          phone = g_strdup_printf ("+49 30 %04u %04u", rnd_index (self->rand, 10000),
                                   rnd_index (self->rand, 10000));
          notes = "Trade account: 10 % discount, invoiced monthly";
          break;

        case CUSTOMER_WALK_IN:
          if (rnd_chance (self->rand, 0.5))
            phone = g_strdup_printf ("+49 15%u %04u %04u", rnd_index (self->rand, 10),
                                     rnd_index (self->rand, 10000), rnd_index (self->rand, 10000));
          notes = "Walk-in customer";
          break;

        case CUSTOMER_PRIVATE:
        default:
          email = demo_email (self, c->name, batch->emails);
          if (rnd_chance (self->rand, 0.8))
            phone = g_strdup_printf ("+49 1%u%u %04u %04u", 5 + rnd_index (self->rand, 3),
                                     rnd_index (self->rand, 10), rnd_index (self->rand, 10000),
                                     rnd_index (self->rand, 10000));
          if (rnd_chance (self->rand, 0.05))
            notes = customer_notes[rnd_index (self->rand, G_N_ELEMENTS (customer_notes))];
          break;
        }

      c->id = ord_uuid_new_from (since / 1000, self->id_rand);
      ord_customer_set_id (customer, c->id);
      ord_customer_set_name (customer, c->name);
      ord_customer_set_email (customer, email);
      ord_customer_set_phone (customer, phone);
      ord_customer_set_notes (customer, notes);
      ord_store_set_now (store, since);
      if (!ord_store_save_customer (store, customer, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
save_products (OrdStore  *store,
               gpointer   user_data,
               GError   **error)
{
  Demo *self = user_data;

  ord_store_set_now (store, self->days[0].hour_start[0]);
  for (guint i = 0; i < self->n_products; i++)
    {
      DemoProduct *p = &self->products[i];
      g_autoptr(OrdProduct) product = ord_product_new ();

      ord_product_set_id (product, p->id);
      ord_product_set_sku (product, p->sku);
      ord_product_set_name (product, p->name);
      ord_product_set_unit_price (product, p->price);
      ord_product_set_currency (product, self->currency);
      ord_product_set_active (product, TRUE);
      if (!ord_store_save_product (store, product, error))
        return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Orders                                                              */

static guint
day_of (Demo   *self,
        gint64  t)
{
  gint64 d = (t - self->days[0].hour_start[0]) / DAY_US;
  guint i = (guint) CLAMP (d, 0, (gint64) self->n_all_days - 1);

  while (i > 0 && t < self->days[i].hour_start[0])
    i--;
  while (i + 1 < self->n_all_days && t >= self->days[i + 1].hour_start[0])
    i++;

  return i;
}

static gboolean
day_is_open (const DemoDay *day)
{
  return day->open < day->close;
}

/* @t if the shop is open then, else a little after it next opens. */
static gint64
next_open_time (Demo   *self,
                gint64  t)
{
  guint i = day_of (self, t);
  DemoDay *day = &self->days[i];

  if (day_is_open (day) && t >= day->hour_start[day->open] && t < day->hour_start[day->close])
    return t;
  if (day_is_open (day) && t < day->hour_start[day->open])
    return day->hour_start[day->open] + rnd_span (self->rand, 0, 20 * MINUTE_US);

  for (i++; i < self->n_all_days; i++)
    if (day_is_open (&self->days[i]))
      return self->days[i].hour_start[self->days[i].open] + rnd_span (self->rand, 0,
                                                                      20 * MINUTE_US);

  return t;
}

/* A quarter hour when the shop is open on day @i. */
static gint64
due_time_on (Demo  *self,
             guint  i)
{
  DemoDay *day = &self->days[i];
  guint h;

  if (!day_is_open (day))
    return day->hour_start[10];

  h = rnd_cumulative (self->rand, day->due_cum, 24);
  return day->hour_start[h] + rnd_index (self->rand, 4) * 15 * MINUTE_US;
}

static gint64
quantity_for (Demo              *self,
              const DemoProduct *p,
              gboolean           business)
{
  gint64 q = 1;

  if (p->max_qty > 1 && !rnd_chance (self->rand, 0.55))
    q = 2 + rnd_index (self->rand, p->max_qty - 1);
  if (business && p->max_qty > 1)
    q *= 2 + rnd_index (self->rand, 4);

  return q;
}

static gboolean
plan_has (const DemoPlan *plan,
          guint           product)
{
  for (guint i = 0; i < plan->n_lines; i++)
    if (plan->lines[i].product == product)
      return TRUE;

  return FALSE;
}

static void
plan_add_line (Demo      *self,
               DemoPlan  *plan,
               guint      product,
               gboolean   business)
{
  DemoLine *line = &plan->lines[plan->n_lines++];
  const DemoProduct *p = &self->products[product];

  line->product = product;
  line->quantity = quantity_for (self, p, business);
  line->discount = 0;
  /* Yesterday's bake, a damaged box: a tenth off now and then. */
  if (rnd_chance (self->rand, 0.03))
    line->discount = ord_round_half_away (p->price * line->quantity, 10);
}

static void
plan_event (DemoPlan     *plan,
            gint64        at,
            OrdEventKind  kind,
            int           from,
            int           to,
            const char   *actor,
            const char   *reason)
{
  DemoEvent *e;

  g_assert (plan->n_events < MAX_EVENTS);
  e = &plan->events[plan->n_events++];
  e->at = at;
  e->kind = kind;
  e->from = from;
  e->to = to;
  e->actor = actor;
  e->reason = reason;
}

static void
demo_plan_order (Demo      *self,
                 guint      day_index,
                 gint64     created_at,
                 DemoPlan  *plan)
{
  GRand *r = self->rand;
  DemoDay *day = &self->days[day_index];
  DemoCustomer *customer;
  DemoTable *table;
  gboolean business, online, cancel, anchor, by_customer = FALSE;
  static const double line_cum[] = { 0.35, 0.63, 0.80, 0.90, 0.96, 1.0 };
  const char *creator;
  const char *clerk;
  const char *baker;
  guint bucket, n_wanted, tries;
  gint64 span, prep, confirm, ship, deliver, cancel_at = 0, subtotal = 0;
  double u, z, lead_days;
  DemoEvent all[MAX_EVENTS];
  guint n_all;

  memset (plan, 0, sizeof *plan);
  plan->created_at = created_at;
  plan->customer = demo_pick_customer (self, day_index);
  customer = &self->customers[plan->customer];
  business = customer->kind == CUSTOMER_BUSINESS;

  /* How far ahead: most orders are for today or tomorrow. */
  u = g_rand_double (r);
  if (business)
    bucket = u < 0.25 ? 0 : u < 0.85 ? 1 : 2;
  else if (day->holiday_day >= 0)
    bucket = u < 0.30 ? 0 : u < 0.52 ? 1 : u < 0.77 ? 2 : 3;
  else
    bucket = u < 0.45 ? 0 : u < 0.73 ? 1 : u < 0.90 ? 2 : 3;

  if (bucket == 0)
    {
      gint64 close_at = day->hour_start[day->close];
      gint64 due = created_at + rnd_span (r, 15 * MINUTE_US, 4 * HOUR_US);

      due = (due + 5 * MINUTE_US - 1) / (5 * MINUTE_US) * (5 * MINUTE_US);
      if (due > close_at)
        due = MAX (close_at, created_at + 15 * MINUTE_US);
      plan->due_at = due;
    }
  else
    {
      guint target;

      if (bucket == 1)
        target = day_index + 1;
      else if (bucket == 2)
        target = day_index + 2 + rnd_index (r, 5);
      else
        target = day_index + 7 + rnd_index (r, 22);
      if (bucket >= 2 && day->holiday_day >= 0 && rnd_chance (r, 0.7))
        {
          guint h = (guint) day->holiday_day - rnd_index (r, 2);

          if (h >= day_index + 2)
            target = h;
        }
      target = MIN (target, self->n_all_days - 1);
      while (target + 1 < self->n_all_days && !day_is_open (&self->days[target]))
        target++;
      plan->due_at = due_time_on (self, target);
    }

  /* The basket: an anchor made to order for many orders placed ahead,
   * popular things, and things that go with what is already in it. */
  anchor = FALSE;
  if (bucket == 1)
    anchor = rnd_chance (r, business ? 0.3 : 0.12);
  else if (bucket >= 2)
    anchor = rnd_chance (r, bucket == 2 ? 0.5 : 0.7);
  if (anchor)
    {
      guint a = table_pick (self, demo_get_table (self, day->season, MODE_PREORDER));

      if (a != G_MAXUINT)
        plan_add_line (self, plan, a, business);
      else
        anchor = FALSE;
    }

  n_wanted = 1 + pick_cumulative (line_cum, G_N_ELEMENTS (line_cum), g_rand_double (r));
  if (business)
    n_wanted = MIN (n_wanted + 1, MAX_LINES);
  table = demo_get_table (self, day->season, bucket == 0 ? MODE_COUNTER : MODE_ANY);
  for (tries = 0; plan->n_lines < n_wanted && tries < 30; tries++)
    {
      guint candidate;

      if (plan->n_lines > 0 && rnd_chance (r, 0.45))
        {
          guint from = plan->lines[rnd_index (r, plan->n_lines)].product;
          const DemoProduct *base = &self->products[from];

          if (base->n_partners == 0)
            continue;
          candidate = base->partners[rnd_index (r, base->n_partners)];
          if (!product_available (&self->products[candidate], day->season,
                                  bucket == 0 ? MODE_COUNTER : MODE_ANY))
            continue;
        }
      else
        {
          candidate = table_pick (self, table);
          if (candidate == G_MAXUINT)
            break;
        }

      if (!plan_has (plan, candidate))
        plan_add_line (self, plan, candidate, business);
    }
  if (plan->n_lines == 0)
    plan_add_line (self, plan, rnd_index (r, self->n_products), business);

  for (guint i = 0; i < plan->n_lines; i++)
    subtotal += self->products[plan->lines[i].product].price * plan->lines[i].quantity
                - plan->lines[i].discount;
  if (business)
    plan->discount = ord_round_half_away (subtotal, 10);
  else if (subtotal >= demo_price (self, 2000) && rnd_chance (r, 0.015))
    plan->discount = demo_price (self, 500);

  /* Notes: a message for a cake, a delivery hint, an allergy. */
  for (guint i = 0; i < plan->n_lines && plan->notes == NULL; i++)
    if ((self->products[plan->lines[i].product].flags & PRODUCT_CAKE) && rnd_chance (r, 0.6))
      {
        guint m = rnd_index (r, G_N_ELEMENTS (cake_messages));
        guint f = rnd_index (r, G_N_ELEMENTS (first_names));

        plan->notes = g_strconcat (cake_messages[m][0], first_names[f], cake_messages[m][1],
                                   NULL);
      }
  if (plan->notes == NULL && business && rnd_chance (r, 0.3))
    plan->notes = g_strdup (business_notes[rnd_index (r, G_N_ELEMENTS (business_notes))]);
  else if (plan->notes == NULL && rnd_chance (r, 0.08))
    plan->notes = g_strdup (order_notes[rnd_index (r, G_N_ELEMENTS (order_notes))]);

  /* Cancellation: likelier far ahead and for customers who cancelled
   * before; businesses seldom cancel. */
  lead_days = (double) (plan->due_at - created_at) / DAY_US;
  z = -3.85 + 0.6 * log1p (MAX (lead_days, 0.0))
      + 3.0 * customer->n_cancelled / (customer->n_orders + 2.0)
      + 0.8 * customer->recent
      + (customer->flaky ? 1.4 : 0.0)
      - (business ? 0.9 : 0.0)
      + (plan->n_lines >= 4 ? 0.2 : 0.0);
  cancel = rnd_chance (r, 1.0 / (1.0 + exp (-z)));
  customer->n_orders++;
  customer->recent *= 0.6f;
  if (cancel)
    {
      customer->n_cancelled++;
      customer->recent += 1.0f;
    }

  /* The timeline. */
  span = plan->due_at - created_at;
  online = rnd_chance (r, customer->kind == CUSTOMER_WALK_IN ? 0.05 : business ? 0.5 : 0.6);
  clerk = staff[rnd_index (r, G_N_ELEMENTS (staff))];
  baker = staff[rnd_index (r, G_N_ELEMENTS (staff))];
  creator = online ? customer->name : clerk;

  if (bucket == 0)
    prep = created_at + (gint64) (span * rnd_range (r, 0.3, 0.6));
  else if (anchor)
    prep = plan->due_at - rnd_span (r, 3 * HOUR_US, 20 * HOUR_US);
  else
    prep = plan->due_at - rnd_span (r, HOUR_US, 4 * HOUR_US);
  prep = MAX (prep, created_at + 2 * MINUTE_US);

  if (!online)
    confirm = created_at + rnd_span (r, 0, 3 * MINUTE_US);
  else if (bucket >= 2 && rnd_chance (r, 0.25))
    /* Waits for a deposit or a call back: confirmed a few days before. */
    confirm = next_open_time (self, plan->due_at - rnd_span (r, DAY_US, 3 * DAY_US));
  else if (rnd_chance (r, 0.6))
    confirm = next_open_time (self, created_at + rnd_span (r, 3 * MINUTE_US, 30 * MINUTE_US));
  else
    confirm = next_open_time (self, created_at + rnd_span (r, 30 * MINUTE_US, 4 * HOUR_US));
  confirm = CLAMP (confirm, created_at + MINUTE_US, prep - MINUTE_US);

  ship = plan->due_at - rnd_span (r, 0, 30 * MINUTE_US);
  ship = MAX (ship, prep + 5 * MINUTE_US);
  if (rnd_chance (r, 0.9))
    deliver = plan->due_at + rnd_span (r, 0, 45 * MINUTE_US);
  else
    deliver = plan->due_at + rnd_span (r, HOUR_US, 5 * HOUR_US);
  deliver = MAX (deliver, ship + MINUTE_US);

  if (cancel)
    {
      gint64 limit;

      /* A customer may cancel until the shop starts on the order, the
       * shop until it is ready. */
      by_customer = rnd_chance (r, 0.8);
      limit = by_customer ? prep : ship;
      cancel_at = created_at + (gint64) ((limit - created_at) * rnd_range (r, 0.05, 0.95));
      cancel_at = CLAMP (cancel_at, created_at + 30 * G_USEC_PER_SEC, limit - G_USEC_PER_SEC);
    }

  /* Every step, then those that have happened by end_time. */
  plan->n_events = 0;
  plan_event (plan, created_at, ORD_EVENT_CREATED, -1, ORD_STATUS_PENDING, creator, NULL);
  if (!cancel || confirm < cancel_at)
    plan_event (plan, confirm, ORD_EVENT_STATUS, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED,
                clerk, NULL);
  if (!cancel || prep < cancel_at)
    plan_event (plan, prep, ORD_EVENT_STATUS, ORD_STATUS_CONFIRMED, ORD_STATUS_PREPARING,
                baker, NULL);
  if (cancel)
    {
      int from = plan->events[plan->n_events - 1].to;

      if (by_customer)
        plan_event (plan, cancel_at, ORD_EVENT_CANCELLED, from, ORD_STATUS_CANCELLED,
                    customer->name,
                    customer_reasons[rnd_index (r, G_N_ELEMENTS (customer_reasons))]);
      else
        plan_event (plan, cancel_at, ORD_EVENT_CANCELLED, from, ORD_STATUS_CANCELLED, clerk,
                    shop_reasons[rnd_index (r, G_N_ELEMENTS (shop_reasons))]);
    }
  else
    {
      plan_event (plan, ship, ORD_EVENT_STATUS, ORD_STATUS_PREPARING, ORD_STATUS_SHIPPED,
                  clerk, NULL);
      plan_event (plan, deliver, ORD_EVENT_STATUS, ORD_STATUS_SHIPPED, ORD_STATUS_DELIVERED,
                  clerk, NULL);
    }

  memcpy (all, plan->events, sizeof all);
  n_all = plan->n_events;
  plan->n_events = 0;
  for (guint i = 0; i < n_all && all[i].at <= self->end_time; i++)
    plan->events[plan->n_events++] = all[i];
  g_assert (plan->n_events > 0);
}

static gboolean
demo_write_order (Demo      *self,
                  DemoPlan  *plan,
                  GError   **error)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  DemoCustomer *customer = &self->customers[plan->customer];
  DemoEvent *last = &plan->events[plan->n_events - 1];
  gint64 ms = plan->created_at / 1000;
  g_autofree char *id = ord_uuid_new_from (ms, self->id_rand);

  ord_order_set_id (order, id);
  ord_order_set_customer_id (order, customer->id);
  ord_order_set_customer_name (order, customer->name);
  ord_order_set_status (order, last->to);
  ord_order_set_created_at (order, plan->created_at);
  ord_order_set_updated_at (order, last->at);
  ord_order_set_due_at (order, plan->due_at);
  ord_order_set_notes (order, plan->notes);
  ord_order_set_currency (order, self->currency);
  ord_order_set_tax_rate (order, self->tax_rate);
  ord_order_set_discount (order, plan->discount);

  for (guint i = 0; i < plan->n_lines; i++)
    {
      const DemoLine *line = &plan->lines[i];
      const DemoProduct *p = &self->products[line->product];
      g_autoptr(OrdOrderItem) item = ord_order_item_new ();
      g_autofree char *item_id = ord_uuid_new_from (ms, self->id_rand);

      ord_order_item_set_id (item, item_id);
      ord_order_item_set_product_id (item, p->id);
      ord_order_item_set_sku (item, p->sku);
      ord_order_item_set_name (item, p->name);
      ord_order_item_set_unit_price (item, p->price);
      ord_order_item_set_quantity (item, line->quantity);
      ord_order_item_set_discount (item, line->discount);
      ord_order_add_item (order, item);
    }

  for (guint i = 0; i < plan->n_events; i++)
    {
      const DemoEvent *e = &plan->events[i];

      g_ptr_array_add (events, ord_order_event_new (0, id, e->at, e->actor, e->kind,
                                                    e->from, e->to, e->reason, NULL));
    }

  /* The store's clock stamps what it writes besides the order (the
   * outbox): keep it in the shop's past too. */
  ord_store_set_now (self->store, plan->created_at);

  return ord_store_create_order_with_events (self->store, order, events, error);
}

/* The times of day @i's orders, in order. */
static void
demo_enter_day (Demo  *self,
                guint  i)
{
  DemoDay *day = &self->days[i];

  self->day = i;
  self->in_day = 0;
  self->times = g_renew (gint64, self->times, MAX (day->n_orders, 1));
  for (guint k = 0; k < day->n_orders; k++)
    {
      guint h = rnd_cumulative (self->rand, day->hour_cum, 24);
      gint64 start = day->hour_start[h];
      gint64 end = MIN (day->hour_start[h + 1], self->end_time);
      gint64 seconds = (end - start) / G_USEC_PER_SEC;

      self->times[k] = start + (gint64) (g_rand_double (self->rand) * seconds) * G_USEC_PER_SEC;
    }

  for (guint k = 1; k < day->n_orders; k++)
    {
      gint64 t = self->times[k];
      guint j = k;

      /* Insertion sort: a day holds a few thousand orders at most and the
       * draws are cheap to compare. */
      while (j > 0 && self->times[j - 1] > t)
        {
          self->times[j] = self->times[j - 1];
          j--;
        }
      self->times[j] = t;
    }
}

static gboolean
write_orders (OrdStore  *store,
              gpointer   user_data,
              GError   **error)
{
  Demo *self = user_data;

  for (guint written = 0;
       written < self->batch_size && self->n_written < self->n_orders;
       written++)
    {
      DemoPlan plan;
      gboolean ok;

      while (self->in_day >= self->days[self->day].n_orders)
        {
          g_assert (self->day + 1 < self->n_days);
          demo_enter_day (self, self->day + 1);
        }

      demo_plan_order (self, self->day, self->times[self->in_day], &plan);
      self->in_day++;
      ok = demo_write_order (self, &plan, error);
      g_free (plan.notes);
      if (!ok)
        return FALSE;
      self->n_written++;
    }

  return TRUE;
}

/* The store's clock stamps the shop's past while a batch is written, and
 * only then: ord_store_transaction() holds the store, so another thread
 * (the window, while the demo is made in a GTask) never writes with it. */
typedef struct
{
  OrdStoreTxnFunc  func;
  gpointer         data;
} PinnedClock;

static gboolean
with_pinned_clock (OrdStore  *store,
                   gpointer   user_data,
                   GError   **error)
{
  PinnedClock *pinned = user_data;
  gboolean ok = pinned->func (store, pinned->data, error);

  ord_store_set_now (store, 0);
  return ok;
}

static gboolean
demo_transaction (Demo             *self,
                  OrdStoreTxnFunc   func,
                  gpointer          data,
                  GError          **error)
{
  PinnedClock pinned = { func, data };

  return ord_store_transaction (self->store, with_pinned_clock, &pinned, error);
}

static gboolean
demo_run (Demo             *self,
          OrdProgressFunc   progress,
          gpointer          progress_data,
          GCancellable     *cancellable,
          GError          **error)
{
  g_autoptr(GHashTable) emails = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Customers and products are a small part of the work. */
  const double setup_share = 0.03;

  if (!demo_transaction (self, save_products, self, error))
    return FALSE;

  while (self->customers_saved < self->n_customers)
    {
      CustomerBatch batch = { self, emails, MIN (self->customers_saved + CUSTOMER_BATCH,
                                                 self->n_customers) };

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!demo_transaction (self, save_customers, &batch, error))
        return FALSE;
      if (progress)
        progress (setup_share * self->customers_saved / self->n_customers, progress_data);
    }

  demo_enter_day (self, 0);
  while (self->n_written < self->n_orders)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!demo_transaction (self, write_orders, self, error))
        return FALSE;
      if (progress)
        progress (setup_share + (1.0 - setup_share) * self->n_written / self->n_orders,
                  progress_data);
    }

  return TRUE;
}

/**
 * ord_demo_generate:
 * @store: an #OrdStore, written as its owner
 * @options: (nullable): #OrdDemoOptions; %NULL = all defaults
 * @progress: (nullable) (scope call): called after each batch with the
 *   fraction done, on the calling thread
 * @progress_data: data for @progress
 * @cancellable: (nullable): checked between batches
 * @error: a #GError
 *
 * Fills @store with a demo shop: a bakery, deli and gift shop's catalogue,
 * its customers (private, walk-in and trade) and two years of orders that
 * end at the options' end time. Orders follow the week (Saturday busiest,
 * Sunday mornings only), the year (a summer dip, December and the days
 * before Easter, Valentine's and Mother's Day high), and grow over time;
 * baskets hold popular products and things bought together. Between 5 and
 * 10 % are cancelled, more often when ordered far ahead and by customers
 * who cancelled before. Each order's status and timeline are what they
 * would be at the end time.
 *
 * Whole orders are committed in batches: a cancellation or an error leaves
 * the batches written so far. The same seed and options give the same
 * data, ids included. The store's clock (ord_store_set_now()) stamps the
 * shop's past while each batch is written and is back on the real clock
 * (0) between batches and afterwards; other threads may use the store
 * meanwhile.
 *
 * Returns: %TRUE when all was written; %FALSE with @error set (for a
 *   cancellation %G_IO_ERROR_CANCELLED)
 */
gboolean
ord_demo_generate (OrdStore              *store,
                   const OrdDemoOptions  *options,
                   OrdProgressFunc        progress,
                   gpointer               progress_data,
                   GCancellable          *cancellable,
                   GError               **error)
{
  static const OrdDemoOptions defaults = { 0 };
  g_autoptr(Demo) self = NULL;
  guint32 seed[2];

  g_return_val_if_fail (ORD_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;

  if (options->currency != NULL && !ord_currency_is_valid (options->currency))
    {
      g_set_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY,
                   _("“%s” is not an ISO 4217 currency code (like EUR or USD)"),
                   options->currency);
      return FALSE;
    }
  if (options->tax_rate > 10000)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("A tax rate of %u basis points is more than 100 %%"), options->tax_rate);
      return FALSE;
    }
  if (ord_store_get_role (store) != ORD_ROLE_OWNER)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("Only the shop’s owner can fill it with demo data"));
      return FALSE;
    }

  self = g_new0 (Demo, 1);
  self->store = store;
  seed[0] = (guint32) (options->seed & 0xffffffff);
  seed[1] = (guint32) (options->seed >> 32);
  self->rand = g_rand_new_with_seed_array (seed, 2);
  /* Ids from their own stream, seeded apart from the shop's. */
  seed[0] ^= 0x9e3779b9;
  self->id_rand = g_rand_new_with_seed_array (seed, 2);
  self->tz = g_time_zone_new_local ();
  self->currency = g_strdup (options->currency ? options->currency : "EUR");
  self->digits = ord_currency_get_digits (self->currency);
  self->tax_rate = options->tax_rate;
  self->n_orders = options->n_orders ? options->n_orders : DEFAULT_N_ORDERS;
  self->batch_size = options->batch_size ? options->batch_size : DEFAULT_BATCH;

  self->end_time = options->end_time;
  /* No end given: the shop's history ends now, so that no order is
   * dated in the future. */
  if (self->end_time == 0)
    self->end_time = g_get_real_time () / (60 * G_USEC_PER_SEC) * (60 * G_USEC_PER_SEC);

  demo_setup_days (self);
  if (self->day_cum[self->n_days - 1] <= 0)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("The demo shop is never open before the end time"));
      return FALSE;
    }
  for (guint k = 0; k < self->n_orders; k++)
    self->days[rnd_cumulative (self->rand, self->day_cum, self->n_days)].n_orders++;

  demo_setup_products (self, options->n_products);
  demo_setup_customers (self, options->n_customers);

  /* A demo shop stays on this device: nothing of it is queued for sync. */
  {
    gboolean outbox = ord_store_get_outbox_enabled (store);
    gboolean ret;

    ord_store_set_outbox_enabled (store, FALSE);
    ret = demo_run (self, progress, progress_data, cancellable, error);
    ord_store_set_outbox_enabled (store, outbox);

    return ret;
  }
}
