"""The words demo ads are made of: per category what is offered, and per kind of ad how it reads.

Pure data, read by scripts.seed_ads. Templates use `str.format` fields; the ad writer draws each
field the first time a template asks for it, so `{item}` is the same thing in the title and the
description. A capitalised field (`{Detail}`) is the same value with its first letter raised.
Brands and models are ones people really sell second-hand; nothing here is lorem ipsum.

The tables below are kept out of the formatter (`fmt: off`): one word per line would make this
file thousands of lines long and no easier to read.
"""

from __future__ import annotations

from dataclasses import dataclass

# Share of all listings per section (by slug). A real site is mostly things for sale.
SECTION_SHARES: dict[str, float] = {
    "for-sale": 46,
    "vehicles": 12,
    "housing": 12,
    "services": 9,
    "jobs": 8,
    "community": 7,
    "gigs": 6,
}


@dataclass(frozen=True)
class Vocab:
    """How ads of one leaf category read and cost.

    `kind` picks the templates and the pricing rule (see KINDS and scripts.seed_ads).
    `price` is a range in dollars: the asking price, rent per `unit`, or a yearly salary;
    (0, 0) means the category's ads are free.
    """

    kind: str
    items: tuple[str, ...]
    price: tuple[int, int] = (0, 0)
    weight: float = 1.0  # share within the section
    brands: tuple[str, ...] = ()  # when set, most items read "{brand} {item}"
    details: tuple[str, ...] = ()  # empty: the kind's default details
    titles: tuple[str, ...] = ()  # empty: the kind's default titles
    body: tuple[tuple[str, ...], ...] = ()  # sentence slots; empty: the kind's default body
    free_share: float = 0.0  # chance an ad of this category is free (community events)
    has_condition: bool = True  # only goods and vehicles have one at all
    unit: str = ""  # "/month", "/night": printed after a housing price
    usage: tuple[int, int] = (0, 0)  # vehicles: miles (or hours) per year of age
    usage_unit: str = ""
    trims: tuple[str, ...] = ()
    beds: tuple[int, int] = (1, 4)
    sqft: tuple[int, int] = (0, 0)  # (0, 0): derived from the bedrooms


@dataclass(frozen=True)
class Kind:
    """Templates shared by every category of one kind (goods, vehicle, housing, ...)."""

    titles: tuple[str, ...]
    body: tuple[tuple[str, ...], ...]  # one sentence is drawn from each slot, in order
    details: tuple[str, ...] = ()


# fmt: off

# -- Sentence pools used by several kinds -------------------------------------------------------

CONDITION_LINES = {
    "new": ("Brand new, never used.", "New in the original box.",
            "Still sealed; it was an extra gift."),
    "like_new": ("Used only a few times and looks new.", "Like new, no scratches or stains.",
                 "Barely used, kept in a smoke-free home."),
    "good": ("In good shape with normal signs of use.", "Works great; a few minor scuffs.",
             "Well taken care of and everything works."),
    "fair": ("Shows its age with some wear, but works fine.", "Cosmetic wear, priced accordingly.",
             "Has a few dings but does the job."),
    "for_parts": ("As-is, for parts or repair.", "Does not work right now; good for parts.",
                  "Needs repair."),
}
VEHICLE_CONDITION_LINES = {
    "new": ("Dealer maintained and still under warranty.",),
    "like_new": ("Stored indoors, no damage, looks showroom new.", "Adult owned, never smoked in."),
    "good": ("Well maintained and ready to go.", "Reliable, no known issues."),
    "fair": ("Some dents and wear, but everything works.",
             "Needs a little TLC; mechanically sound."),
    "for_parts": ("Not running right now: a mechanic's special.",
                  "Needs major repair, sold as-is."),
}
CONDITION_ADJECTIVES = {
    "new": ("Brand new", "New in box", "Unopened"),
    "like_new": ("Like-new", "Barely used", "Mint"),
    "good": ("Great", "Nice", "Clean", "Solid", "Well-kept"),
    "fair": ("Used", "Well-loved", "Working"),
    "for_parts": ("Broken", "For parts:", "Not working:"),
}
HOUSING_ADJECTIVES = ("Sunny", "Spacious", "Updated", "Quiet", "Cozy", "Bright", "Renovated",
                      "Charming")
SERVICE_ADJECTIVES = ("Affordable", "Reliable", "Professional", "Friendly", "Experienced", "Local")
REASONS = ("Moving at the end of the month.", "Upgraded and need the space.",
           "Downsizing before a move.", "Cleaning out the garage.", "No longer needed.",
           "Selling for a friend.", "", "")
PRICE_LINES = ("Asking ${price}.", "${price} or best offer.", "${price}, firm.", "${price} OBO.",
               "Price is ${price}; reasonable offers considered.")
PICKUP_LINES = ("Cash or Venmo, pickup in {city}.", "Can meet at a public spot in {city}.",
                "Porch pickup near {zip}.", "You haul; I can help load.",
                "If this ad is up, it's still available.",
                "Message me with questions; no holds without a deposit.",
                "Pickup only, {city} area.")
CONTACT_LINES = ("Message me to set up a showing.", "Text or email to schedule a tour.",
                 "Serious inquiries only, please.", "Reply with a little about yourself.")
AREAS = ("near downtown", "close to the park", "on a quiet street", "near the light rail",
         "in a walkable neighborhood", "near the university", "close to shops and restaurants")
VENUES = ("the public library", "the community center", "Riverside Park", "the old train depot",
          "Main Street Plaza", "the rec center", "the high school gym", "Veterans Park")
DAYS = ("Saturday", "Sunday", "Friday", "Thursday", "Wednesday", "Tuesday", "Monday")
TIMES = ("9 am", "10 am", "noon", "2 pm", "5:30 pm", "6 pm", "7 pm")

# -- Kinds: the default templates per kind of ad -------------------------------------------------

KINDS: dict[str, Kind] = {
    "goods": Kind(
        titles=("{item}", "{item} - {detail}", "{adj} {item}", "{item}, {detail}",
                "{item} - ${price}", "{adj} {item} - {detail}"),
        body=(
            ("Selling my {item}.", "For sale: {item}.", "Up for grabs: {item}.",
             "Letting go of my {item}."),
            ("{Detail}.", "{Detail}, {detail2}.", "Details: {detail}, {detail2}."),
            ("{condition_line}",),
            REASONS,
            PRICE_LINES,
            PICKUP_LINES,
        ),
    ),
    "vehicle": Kind(
        titles=("{year} {item}", "{year} {item} {trim}", "{year} {item} - {usage}",
                "{year} {item} {trim}, {title_status}", "{year} {item} - {detail}"),
        body=(
            ("{year} {item} {trim} with {usage}.", "Selling my {year} {item} {trim}, {usage}."),
            ("{Detail}, {detail2}.", "{Detail}. {Detail2}."),
            ("{condition_line}",),
            ("{Title_status}.",),
            PRICE_LINES,
            ("Test drives with a valid license only.", "Located in {city}; serious buyers only.",
             "Vehicle history report available on request.", "Cash or cashier's check."),
        ),
        details=("new tires", "one owner", "all service records", "cold A/C", "no leaks"),
    ),
    "housing": Kind(
        titles=("${price}{unit} - {beds}br - {sqft}ft2 - {item} in {city}",
                "{beds}BR/{baths}BA {item}, {detail}", "{adj} {beds} bedroom {item} {area}",
                "{beds} bed {item} available {available} - {detail}"),
        body=(
            ("{adj} {beds}-bedroom, {baths}-bath {item} {area} in {city}.",
             "{beds}BR/{baths}BA {item} for rent {area}, {city}."),
            ("About {sqft} square feet with {detail} and {detail2}.",
             "Features {detail}, {detail2}, and plenty of storage."),
            ("Rent is ${price}{unit}; {deposit}.", "${price}{unit}, {deposit}."),
            ("Available {available}.", "Move-in date: {available}."),
            ("Cats OK, no dogs.", "Small pets considered.", "Sorry, no pets.", "Pet friendly."),
            CONTACT_LINES,
        ),
    ),
    "job": Kind(
        titles=("{item} - {employment}", "Hiring: {item} ({employment})",
                "{company} is hiring {a_item}", "{item} - ${pay_k}k/yr", "{item}, {city}"),
        body=(
            ("{company} is looking for {a_item} to join our team in {city}.",
             "We're hiring {a_item} for our {city} location.",
             "{company} has an opening for {a_item}."),
            ("You will {detail}.", "Day to day, you'll {detail}."),
            ("At least two years of experience preferred.", "No experience needed; we train.",
             "Must have reliable transportation.", "A valid driver's license is required.",
             "Bilingual English/Spanish is a plus.", "Relevant certification required."),
            ("Pay: ${price} per year, plus {benefit}.", "Salary ${price}/year with {benefit}."),
            ("Monday to Friday, 8 to 5.", "Some weekends required.", "Flexible schedule.",
             "Day and evening shifts available.", "Hybrid: three days on site."),
            ("Reply with your resume.", "Apply in person or email your resume.",
             "Send a short note about yourself and your experience.", "Interviews this week."),
        ),
    ),
    "service": Kind(
        titles=("{item} - {detail}", "{adj} {item} in {city}", "{item}, ${price}/hr",
                "{adj} {item} - {detail}"),
        body=(
            ("Offering {item} in {city} and nearby.", "Need {item}? I serve the {city} area.",
             "Local, reliable {item} for homes and small businesses."),
            ("{Detail}; {detail2}.", "{Detail}."),
            ("Rates start at ${price}/hour.", "${price} per hour, two-hour minimum.",
             "Flat ${price}/hour, no hidden fees."),
            ("I've been doing this for {years} years.",
             "{years} years in the business, happy to share references.", ""),
            ("Call or text for a free quote.", "Message me with what you need and when.",
             "Booking now for this week."),
        ),
        details=("licensed and insured", "free estimates", "same-day service available",
                 "evenings and weekends", "satisfaction guaranteed", "references available"),
    ),
    "community": Kind(
        titles=("{item} this {day} at {venue}", "{item} - {day}, {time}",
                "Join us: {item} in {city}"),
        body=(
            ("Join us for {item} at {venue} this {day} at {time}.",),
            ("{Detail}.",),
            ("Admission: {admission}.",),
            ("Bring friends and family!", "Rain or shine.", "Parking is available nearby."),
        ),
        details=("family friendly", "all ages welcome", "local vendors and food"),
    ),
    "gig": Kind(
        titles=("Paying ${price} to {item}", "Need someone to {item} - ${price}",
                "Gig: {item} this {day}", "Looking for someone to {item}"),
        body=(
            ("Looking for someone to {item} in {city} this {day}.",
             "I need someone to {item}; {city} area."),
            ("Should take about {n} hours.", "Shouldn't take more than a few hours.", ""),
            ("{Detail}.",),
            ("Paying ${price}.", "Pay is ${price} total.", "${price} for the job."),
            ("Reply with a little about yourself.", "Text me if interested."),
        ),
        details=("Must be reliable and on time", "Experience preferred but not required",
                 "Bring your own tools", "Paid same day, cash or Venmo"),
    ),
}

# -- Categories, by leaf slug (models.category_tree) ---------------------------------------------

FOR_SALE: dict[str, Vocab] = {
    "antiques": Vocab(
        "goods", weight=0.6, price=(25, 1800),
        items=("oak rocking chair", "cast iron skillet", "brass floor lamp", "cedar hope chest",
               "steamer trunk", "pocket watch", "porcelain vase", "mantel clock", "china cabinet",
               "roll-top desk", "treadle sewing machine", "gilded wall mirror"),
        brands=("Victorian", "Art Deco", "1950s", "1920s", "Depression-era", "mid-century",
                "Mission-style", "farmhouse"),
        details=("original finish", "estate sale find", "family heirloom", "no repairs",
                 "lovely patina", "all original parts", "great display piece")),
    "appliances": Vocab(
        "goods", weight=1.2, price=(40, 1400),
        items=("refrigerator", "washer", "dryer", "dishwasher", "gas range", "electric range",
               "over-the-range microwave", "washer and dryer set", "wine fridge", "chest freezer"),
        brands=("Whirlpool", "Samsung", "LG", "GE", "Maytag", "Frigidaire", "Bosch"),
        details=("stainless steel", "Energy Star rated", "works perfectly", "front-loading",
                 "ice maker works", "30 inch", "quiet", "delivery possible for a fee")),
    "arts-and-crafts": Vocab(
        "goods", weight=0.6, price=(5, 350),
        items=("box of yarn", "acrylic paint set", "wooden easel", "Cricut Maker",
               "Brother sewing machine", "quilting fabric bundle", "tabletop pottery wheel",
               "bead collection", "scrapbooking supplies", "Prismacolor pencil set",
               "embroidery hoops and floss", "stained glass tools"),
        details=("most items unused", "huge lot", "great for a beginner", "all in a storage tote",
                 "from a smoke-free studio", "retails for much more")),
    "baby-and-kids": Vocab(
        "goods", weight=1.1, price=(10, 650),
        items=("stroller", "convertible car seat", "crib with mattress", "high chair",
               "baby monitor", "pack 'n play", "jogging stroller", "baby carrier",
               "bouncer seat", "toddler bed", "baby swing"),
        brands=("Graco", "UPPAbaby", "Chicco", "Britax", "Baby Jogger", "Fisher-Price", "4moms"),
        details=("not expired", "washed covers", "pet-free home", "all parts included",
                 "folds flat", "rain cover included", "manual included")),
    "bikes": Vocab(
        "goods", weight=1.3, price=(60, 3800),
        items=("road bike", "mountain bike", "hybrid bike", "gravel bike", "commuter bike",
               "e-bike", "cruiser", "BMX bike", "kids bike"),
        brands=("Trek", "Specialized", "Giant", "Cannondale", "Santa Cruz", "Schwinn", "Surly",
                "Electra", "Kona"),
        details=("56 cm frame", "medium frame", "large frame", "Shimano 105 groupset",
                 "hydraulic disc brakes", "new tires", "29-inch wheels", "just tuned up",
                 "lock and lights included")),
    "books-and-magazines": Vocab(
        "goods", weight=0.6, price=(3, 250),
        items=("box of paperback novels", "college textbooks", "cookbook collection",
               "Harry Potter hardcover set", "vintage National Geographic magazines",
               "children's picture books", "sci-fi paperbacks", "graphic novels",
               "Lord of the Rings box set", "mystery novels lot"),
        details=("about 40 books", "no highlighting", "great for a classroom",
                 "some dust jackets worn", "priced to go as a lot")),
    "cell-phones": Vocab(
        "goods", weight=1.0, price=(40, 900),
        items=("iPhone 12", "iPhone 13", "iPhone 14 Pro", "iPhone 15", "iPhone SE",
               "Samsung Galaxy S22", "Samsung Galaxy S23 Ultra", "Samsung Galaxy A54",
               "Google Pixel 7", "Google Pixel 8 Pro", "OnePlus 11", "Motorola Moto G"),
        details=("128GB", "256GB", "unlocked", "battery health 88%", "case and charger included",
                 "no scratches on the screen", "factory reset", "cracked back glass")),
    "clothing-and-accessories": Vocab(
        "goods", weight=1.2, price=(5, 350),
        items=("winter jacket", "leather jacket", "rain shell", "running shoes", "hiking boots",
               "handbag", "jeans", "fleece pullover", "wool coat", "sunglasses", "backpack"),
        brands=("Patagonia", "The North Face", "Levi's", "Nike", "Adidas", "Coach", "Columbia",
                "Carhartt", "Lululemon", "Arc'teryx"),
        details=("size M", "size L", "size S", "women's size 8", "men's size 10.5", "32x32",
                 "worn twice", "tags still on", "smoke-free home")),
    "collectibles": Vocab(
        "goods", weight=0.7, price=(10, 1200),
        items=("baseball card lot", "vinyl record collection", "silver coin set", "Funko Pop lot",
               "stamp album", "Hot Wheels collection", "Pokemon card binder", "signed baseball",
               "Lionel train set", "comic book lot", "die-cast model cars"),
        details=("graded cards included", "from the 1980s", "complete set",
                 "still in original packaging", "collected over 20 years",
                 "certificate of authenticity")),
    "computers": Vocab(
        "goods", weight=1.1, price=(40, 2200),
        items=("MacBook Air M1", "MacBook Pro 14-inch", "Dell XPS 13", "Lenovo ThinkPad T14",
               "HP Spectre x360", "gaming PC with RTX 3070", "27-inch 4K monitor", "iPad Air",
               "Surface Pro 8", "Mac mini", "mechanical keyboard", "Synology NAS"),
        details=("16GB RAM", "512GB SSD", "1TB SSD", "low battery cycle count",
                 "charger included", "fresh Windows 11 install", "original box",
                 "no dead pixels")),
    "electronics": Vocab(
        "goods", weight=1.2, price=(15, 1500),
        items=("55-inch Samsung TV", "65-inch LG OLED TV", "Sonos soundbar",
               "Bose QuietComfort headphones", "AirPods Pro", "Yamaha AV receiver",
               "Kindle Paperwhite", "pair of bookshelf speakers", "Apple Watch Series 7",
               "Bluetooth turntable", "projector with screen"),
        details=("remote included", "wall mount included", "works perfectly", "original packaging",
                 "great sound", "4K HDR")),
    "farm-and-garden": Vocab(
        "goods", weight=0.7, price=(10, 2500),
        items=("riding lawn mower", "push mower", "raised garden beds", "chicken coop",
               "rototiller", "leaf blower", "string trimmer", "fruit tree saplings",
               "patio planters", "hay bales", "compost tumbler"),
        details=("runs great", "just serviced", "electric start", "gas-powered",
                 "cordless with battery", "cedar wood", "pickup only")),
    "free-stuff": Vocab(
        "goods", weight=0.9,
        items=("couch", "moving boxes", "bag of kids clothes", "firewood", "old TV", "bookshelf",
               "garden pavers", "box of books", "kitchen table", "office chair", "scrap wood",
               "houseplants", "dresser"),
        details=("on the curb", "you haul", "first come, first served", "works fine",
                 "needs a little cleanup", "must take it all"),
        titles=("Free {item}", "Free: {item} - {detail}", "Curb alert: {item}",
                "Free {item}, {detail}", "{item} - free"),
        body=(
            ("Giving away my {item}.", "Free {item} to whoever wants it.",
             "We're moving and the {item} has to go."),
            ("{condition_line}",),
            ("{Detail}.",),
            ("It's on the curb at the end of my driveway in {city}.",
             "Pickup only near {zip}, you load.", "Message me and I'll hold it until tonight."),
            ("If the ad is up, it's still here.", ""),
        )),
    "furniture": Vocab(
        "goods", weight=1.8, price=(20, 1500),
        items=("sofa", "sectional couch", "dining table", "set of four dining chairs",
               "queen bed frame", "dresser", "bookshelf", "coffee table", "TV stand", "office desk",
               "recliner", "nightstand", "accent chair", "bar stools", "futon", "wardrobe"),
        brands=("IKEA", "West Elm", "Pottery Barn", "Ashley", "Crate & Barrel", "Article",
                "Room & Board"),
        details=("solid wood", "seats six", "pet-free home", "smoke-free home",
                 "easy to disassemble", "no stains", "72 inches wide", "some scratches on top")),
    "household-items": Vocab(
        "goods", weight=1.0, price=(5, 400),
        items=("set of pots and pans", "vacuum cleaner", "8x10 area rug", "blackout curtains",
               "dish set for eight", "floor lamp", "Instant Pot", "air purifier", "space heater",
               "Dyson stick vacuum", "standing mirror", "ceiling fan"),
        details=("barely used", "works great", "all pieces included", "neutral color",
                 "cleaned and ready", "from a smoke-free home")),
    "jewelry": Vocab(
        "goods", weight=0.6, price=(15, 3000),
        items=("sterling silver necklace", "14k gold hoop earrings", "diamond engagement ring",
               "men's watch", "pearl bracelet", "turquoise ring", "charm bracelet",
               "vintage brooch", "Seiko automatic watch", "rose gold pendant"),
        details=("comes in gift box", "appraisal available", "size 7", "18-inch chain",
                 "authentic, stamped", "barely worn")),
    "musical-instruments": Vocab(
        "goods", weight=0.9, price=(40, 2500),
        items=("Fender Stratocaster", "Yamaha acoustic guitar", "digital piano", "drum kit",
               "Gibson Les Paul", "bass guitar", "Marshall amplifier", "violin", "ukulele",
               "trumpet", "Roland keyboard", "guitar pedal board", "alto saxophone"),
        details=("hard case included", "new strings", "great for beginners", "no fret buzz",
                 "recently tuned", "stand and bench included", "plays great")),
    "photo-and-video": Vocab(
        "goods", weight=0.6, price=(30, 2500),
        items=("Canon EOS R6", "Nikon D750", "Sony a7 III", "Fujifilm X-T3", "GoPro Hero 10",
               "50mm f/1.8 lens", "DJI Mini 3 drone", "camera tripod", "studio lighting kit",
               "35mm film camera", "70-200mm lens"),
        details=("low shutter count", "two batteries included", "clean sensor",
                 "camera bag included", "original box", "UV filter included")),
    "sporting-goods": Vocab(
        "goods", weight=1.2, price=(15, 1800),
        items=("kayak", "stand-up paddleboard", "treadmill", "set of dumbbells", "golf clubs",
               "snowboard", "skis with bindings", "camping tent", "rowing machine",
               "basketball hoop", "exercise bike", "fishing rods", "weight bench"),
        details=("barely used", "paddle included", "adjustable", "two-person", "carry bag included",
                 "pickup only", "fits in an SUV")),
    "tickets": Vocab(
        "goods", weight=0.5, price=(20, 300), has_condition=False,
        items=("NBA game, lower bowl", "NFL game, section 112", "symphony season opener",
               "jazz festival weekend pass", "comedy show Friday night", "Broadway touring show",
               "minor league baseball game", "college football game", "country music concert"),
        details=("face value", "seats together", "mobile transfer", "aisle seats",
                 "can't make it anymore", "this Saturday"),
        titles=("{n} tickets: {item}", "{item} - {n} tickets", "{n} tickets, {item}, {detail}"),
        body=(
            ("Selling {n} tickets: {item}.", "I have {n} tickets for this one: {item}."),
            ("{Detail}, {detail2}.",),
            ("Asking ${price} each.", "${price} per ticket, must buy all {n}."),
            ("Transfer through the app once paid.", "Happy to show proof of purchase."),
        )),
    "tools": Vocab(
        "goods", weight=1.0, price=(15, 1200),
        items=("cordless drill", "circular saw", "table saw", "miter saw", "rolling tool chest",
               "air compressor", "socket set", "pressure washer", "shop vac", "impact driver"),
        brands=("DeWalt", "Milwaukee", "Makita", "Ryobi", "Craftsman", "Bosch", "Ridgid"),
        details=("two batteries and charger", "barely used", "works perfectly", "case included",
                 "20V", "blade included", "heavy duty")),
    "toys-and-games": Vocab(
        "goods", weight=0.8, price=(5, 300),
        items=("LEGO Star Wars set", "board game lot", "wooden train set", "dollhouse",
               "Nerf blasters", "play kitchen", "ride-on car", "puzzle collection", "Magna-Tiles",
               "trampoline"),
        details=("all pieces included", "box included", "smoke-free home", "gently played with",
                 "batteries included")),
    "video-gaming": Vocab(
        "goods", weight=1.0, price=(15, 600),
        items=("PlayStation 5", "Xbox Series X", "Nintendo Switch OLED", "Nintendo Switch Lite",
               "Steam Deck", "PS4 Pro", "gaming headset", "Xbox controllers",
               "Nintendo 64 with games", "Game Boy Advance", "gaming chair"),
        details=("two controllers", "five games included", "original box", "works perfectly",
                 "disc edition", "carrying case included")),
}

VEHICLES: dict[str, Vocab] = {
    "cars-and-trucks": Vocab(
        "vehicle", weight=3.0, price=(2500, 48000), usage=(7000, 14000), usage_unit="miles",
        items=("Honda Civic", "Honda Accord", "Honda CR-V", "Toyota Camry", "Toyota Corolla",
               "Toyota RAV4", "Toyota Tacoma", "Ford F-150", "Ford Escape", "Ford Mustang",
               "Chevrolet Silverado 1500", "Chevrolet Malibu", "Subaru Outback",
               "Subaru Forester", "Nissan Altima", "Jeep Wrangler", "Jeep Grand Cherokee",
               "Hyundai Elantra", "Kia Soul", "Volkswagen Jetta", "Mazda CX-5", "BMW 3 Series",
               "Tesla Model 3", "Ram 1500"),
        trims=("LX", "EX", "SE", "LE", "XLE", "Sport", "Limited", "Touring", "Premium", "4x4"),
        details=("automatic", "manual transmission", "new tires", "backup camera",
                 "Bluetooth", "leather seats", "tow package", "one owner", "all service records",
                 "sunroof", "cold A/C", "timing belt done")),
    "motorcycles": Vocab(
        "vehicle", weight=0.8, price=(1500, 18000), usage=(1000, 4000), usage_unit="miles",
        items=("Honda CBR500R", "Harley-Davidson Sportster", "Yamaha MT-07", "Kawasaki Ninja 400",
               "Suzuki SV650", "BMW R1200GS", "Triumph Bonneville", "Ducati Monster",
               "Honda Rebel 500", "Indian Scout"),
        details=("new chain and sprockets", "saddlebags", "garage kept", "two helmets included",
                 "aftermarket exhaust", "fresh oil change")),
    "boats": Vocab(
        "vehicle", weight=0.4, price=(1500, 60000), usage=(20, 80), usage_unit="engine hours",
        items=("Bayliner bowrider", "Boston Whaler Montauk", "Sea Ray Sundancer",
               "Tracker bass boat", "Yamaha jet boat", "aluminum fishing boat", "pontoon boat",
               "Catalina 27 sailboat"),
        details=("trailer included", "fish finder", "new bimini top", "outboard just serviced",
                 "stored indoors", "life jackets included")),
    "rvs-and-campers": Vocab(
        "vehicle", weight=0.5, price=(3000, 85000),
        items=("Winnebago Minnie", "Jayco Jay Flight", "Airstream Bambi",
               "Forest River pop-up camper", "Coachmen Class C motorhome", "Keystone fifth wheel",
               "teardrop trailer"),
        details=("sleeps six", "slide-out", "solar panel", "new roof sealant",
                 "generator included", "awning works", "no leaks"),
        titles=("{year} {item}", "{year} {item} - {detail}", "{year} {item}, {title_status}"),
        body=(
            ("{year} {item}, ready for camping season.", "Selling our {year} {item}."),
            ("{Detail}, {detail2}.",),
            ("{condition_line}",),
            ("{Title_status}.",),
            PRICE_LINES,
            ("Located in {city}; come take a look.", "Cash or cashier's check."),
        )),
    "auto-parts": Vocab(
        "goods", weight=0.8, price=(15, 900),
        items=("set of 4 winter tires 205/55R16", "17-inch alloy wheels", "roof rack crossbars",
               "car battery", "truck bed cover", "LED headlight assembly", "floor mats",
               "brake pads and rotors", "trailer hitch", "car stereo head unit"),
        details=("fits Honda Civic 2016-2021", "fits Ford F-150", "OEM", "bolt-on",
                 "tread about 70%", "all hardware included")),
    "trailers": Vocab(
        "goods", weight=0.4, price=(600, 12000),
        items=("6x12 enclosed cargo trailer", "5x8 utility trailer", "car hauler", "dump trailer",
               "flatbed trailer", "motorcycle trailer"),
        details=("new tires", "LED lights", "ramp gate", "spare tire included", "tandem axle"),
        titles=("{year} {item}", "{item} - {detail}", "{year} {item}, {detail}"),
        body=(
            ("Selling my {year} {item}.", "For sale: {year} {item}."),
            ("{Detail}, {detail2}.",),
            ("{condition_line}",),
            ("Clean title in hand.", "Title in hand.", ""),
            PRICE_LINES,
            PICKUP_LINES,
        )),
}

HOUSING: dict[str, Vocab] = {
    "apartments-for-rent": Vocab(
        "housing", weight=3.0, price=(850, 4800), unit="/month",
        items=("apartment", "condo", "townhouse", "duplex", "garden apartment", "loft"),
        details=("in-unit laundry", "hardwood floors", "a dishwasher", "off-street parking",
                 "central air", "an updated kitchen", "a balcony", "a walk-in closet",
                 "lots of natural light")),
    "rooms-and-shares": Vocab(
        "housing", weight=1.2, price=(450, 1800), unit="/month", beds=(2, 4),
        items=("house", "apartment", "townhouse", "condo"),
        details=("a private bathroom", "its own closet", "utilities included",
                 "a shared kitchen", "parking", "fast Wi-Fi", "furniture if you need it"),
        titles=("Room for rent in {beds}BR {item} - ${price}/mo", "Private room {area}, {detail}",
                "Furnished room in {city}, available {available}"),
        body=(
            ("Renting a room in a {beds}-bedroom {item} {area} in {city}.",
             "One room open in our {beds}BR {item} in {city}."),
            ("It comes with {detail} and {detail2}.",),
            ("${price}{unit}, {deposit}.",),
            ("Looking for a clean, respectful roommate; no smoking.",
             "We are two working professionals who keep things tidy."),
            CONTACT_LINES,
        )),
    "sublets-and-temporary": Vocab(
        "housing", weight=0.6, price=(700, 3000), unit="/month", beds=(1, 2),
        items=("apartment", "condo", "loft"),
        details=("furniture included", "utilities included", "month-to-month terms",
                 "flexible dates", "a short walk to transit"),
        titles=("Summer sublet: {beds}BR {item} {area}", "Short-term {item} in {city} - {detail}",
                "Sublet available {available}, ${price}/mo")),
    "houses-for-sale": Vocab(
        "housing", weight=0.9, price=(95000, 1200000), beds=(2, 5),
        items=("single-family home", "ranch house", "craftsman bungalow", "colonial",
               "split-level home", "townhome", "farmhouse on two acres"),
        details=("an updated kitchen", "a two-car garage", "a fenced backyard", "a new roof",
                 "a finished basement", "an open floor plan", "solar panels"),
        titles=("{beds} bed / {baths} bath {item} - {sqft} sq ft", "{item} for sale in {city}",
                "For sale by owner: {adj} {item} {area}"),
        body=(
            ("{adj} {beds}-bedroom, {baths}-bath {item} {area} in {city}.",),
            ("Built in {year_built}, about {sqft} square feet, with {detail} and {detail2}.",),
            ("Listed at ${price}.", "Asking ${price}; pre-approved buyers please."),
            ("Open house this {day}, 1 to 4 pm.", "Showings by appointment."),
            CONTACT_LINES,
        )),
    "vacation-rentals": Vocab(
        "housing", weight=0.5, price=(85, 480), unit="/night", beds=(1, 4),
        items=("beach cottage", "mountain cabin", "lake house", "downtown condo", "ski chalet",
               "tiny house"),
        details=("a hot tub", "an ocean view", "a fire pit", "a fully stocked kitchen",
                 "a pet-friendly yard", "a short walk to the water"),
        titles=("{adj} {item} near {city} - ${price}/night",
                "{item} with {detail}, sleeps {guests}"),
        body=(
            ("{adj} {beds}-bedroom {item} near {city}, sleeps {guests}.",),
            ("Guests love {detail} and {detail2}.",),
            ("${price}/night, two-night minimum; cleaning fee included.",),
            ("Weekends book fast, message for dates.",),
        )),
    "parking-and-storage": Vocab(
        "housing", weight=0.4, price=(40, 450), unit="/month",
        items=("garage parking space", "covered parking spot", "10x10 storage unit",
               "5x10 storage unit", "RV storage space", "driveway parking spot"),
        details=("24/7 access", "a gated lot", "climate control", "good lighting",
                 "month-to-month terms"),
        titles=("{item} for rent {area} - ${price}/mo", "{item} in {city}, {detail}"),
        body=(
            ("Renting out a {item} {area} in {city}.",),
            ("It has {detail} and {detail2}.",),
            ("${price}{unit}, first month up front.",),
            ("Available {available}.",),
        )),
    "office-and-commercial": Vocab(
        "housing", weight=0.4, price=(400, 12000), unit="/month", sqft=(200, 8000),
        items=("office suite", "retail storefront", "warehouse space", "coworking desk",
               "medical office", "restaurant space"),
        details=("high foot traffic", "a loading dock", "a kitchenette", "ample parking",
                 "fiber internet", "a corner location"),
        titles=("{item} for lease, {sqft} sq ft - {city}", "{item} {area}, with {detail}"),
        body=(
            ("{item} for lease {area} in {city}, about {sqft} square feet.",),
            ("It offers {detail} and {detail2}.",),
            ("${price}{unit}, one-year lease preferred.",),
            ("Available {available}.",),
            CONTACT_LINES,
        )),
}

JOBS: dict[str, Vocab] = {
    "accounting-and-finance": Vocab(
        "job", price=(42000, 98000),
        items=("staff accountant", "bookkeeper", "accounts payable clerk", "payroll specialist",
               "financial analyst", "tax preparer"),
        details=("reconcile accounts and close the books each month",
                 "process invoices and vendor payments", "run bi-weekly payroll",
                 "prepare budgets and forecasts", "prepare small-business tax returns")),
    "admin-and-office": Vocab(
        "job", price=(34000, 72000),
        items=("office manager", "receptionist", "administrative assistant",
               "executive assistant", "data entry clerk"),
        details=("answer phones and greet visitors", "manage calendars and travel",
                 "keep the office running smoothly", "enter orders into our system")),
    "customer-service": Vocab(
        "job", weight=1.1, price=(32000, 52000),
        items=("customer service representative", "call center agent",
               "client support specialist", "bilingual support agent"),
        details=("help customers by phone, chat and email", "resolve billing questions",
                 "process returns and exchanges", "follow up on service tickets")),
    "education-and-teaching": Vocab(
        "job", price=(32000, 68000),
        items=("preschool teacher", "math tutor", "teacher's aide", "ESL instructor",
               "after-school program lead", "substitute teacher"),
        details=("plan lessons for small groups", "support students one-on-one",
                 "lead after-school activities", "grade assignments and track progress")),
    "food-and-hospitality": Vocab(
        "job", weight=1.4, price=(28000, 62000),
        items=("line cook", "server", "barista", "dishwasher", "front desk agent", "sous chef",
               "bartender", "housekeeper"),
        details=("work the grill on busy weekend shifts", "open the cafe three mornings a week",
                 "keep the kitchen clean and stocked", "check guests in and out",
                 "serve a busy dinner crowd")),
    "healthcare": Vocab(
        "job", weight=1.2, price=(34000, 115000),
        items=("registered nurse", "medical assistant", "certified nursing assistant",
               "dental hygienist", "pharmacy technician", "home health aide"),
        details=("care for patients on a med-surg floor", "take vitals and room patients",
                 "assist residents with daily living", "fill prescriptions accurately")),
    "retail-and-wholesale": Vocab(
        "job", weight=1.1, price=(30000, 70000),
        items=("sales associate", "store manager", "stock associate", "cashier",
               "assistant manager", "warehouse associate"),
        details=("help customers find what they need", "receive and stock shipments",
                 "run the register and close the store", "lead a team of eight associates")),
    "skilled-trades": Vocab(
        "job", price=(45000, 98000),
        items=("electrician", "plumber", "HVAC technician", "carpenter", "welder",
               "auto mechanic", "maintenance technician"),
        details=("install and service residential systems", "work on new construction projects",
                 "diagnose and repair equipment", "read blueprints and follow code")),
    "software-and-it": Vocab(
        "job", weight=0.9, price=(60000, 175000),
        items=("software engineer", "IT support specialist", "web developer",
               "systems administrator", "data analyst", "QA engineer"),
        details=("build and maintain our web app", "support 150 users on site and remotely",
                 "manage servers and backups", "write SQL reports for the sales team",
                 "automate testing of our releases")),
    "transport-and-logistics": Vocab(
        "job", weight=1.1, price=(36000, 88000),
        items=("CDL-A truck driver", "delivery driver", "forklift operator", "warehouse lead",
               "dispatcher", "courier"),
        details=("run regional routes and be home most weekends", "deliver packages around town",
                 "load and unload trucks", "plan routes and keep drivers on schedule")),
}

SERVICES: dict[str, Vocab] = {
    "automotive-services": Vocab("service", price=(40, 120), items=(
        "mobile mechanic", "auto detailing", "at-home oil changes", "brake repair",
        "windshield chip repair")),
    "beauty-and-wellness": Vocab("service", price=(25, 120), items=(
        "haircuts", "massage therapy", "bridal makeup", "nail services", "personal training")),
    "computer-repair": Vocab("service", weight=0.8, price=(40, 110), items=(
        "computer repair", "virus removal", "laptop screen replacement", "home network setup",
        "data recovery")),
    "creative-services": Vocab("service", weight=0.8, price=(40, 150), items=(
        "wedding photography", "logo design", "video editing", "portrait photography",
        "DJ services", "website design")),
    "household-services": Vocab("service", weight=1.6, price=(25, 85), items=(
        "house cleaning", "handyman services", "window washing", "lawn care", "gutter cleaning",
        "junk removal", "pressure washing")),
    "lessons-and-tutoring": Vocab("service", weight=1.1, price=(25, 90), items=(
        "piano lessons", "math tutoring", "guitar lessons", "Spanish lessons", "SAT prep",
        "swim lessons")),
    "moving-and-hauling": Vocab("service", weight=1.2, price=(45, 150), items=(
        "local moving help", "junk hauling", "furniture delivery", "two movers and a truck",
        "dump runs")),
    "pet-services": Vocab("service", price=(18, 70), items=(
        "dog walking", "pet sitting", "dog grooming", "dog training", "overnight boarding")),
    "skilled-trade-services": Vocab("service", weight=1.2, price=(50, 140), items=(
        "electrical work", "plumbing repairs", "drywall repair", "interior painting",
        "tile installation", "fence repair")),
}

COMMUNITY: dict[str, Vocab] = {
    "activities": Vocab(
        "community",
        items=("pickup basketball", "a hiking group", "weekend bike rides", "a book club",
               "board game night", "pickleball", "a running group"),
        titles=("Looking for people to join {item}", "{item} every {day} in {city}",
                "Anyone up for {item}?"),
        body=(
            ("We get together for {item} every {day} at {time}.",
             "Starting {item} on {day}s near {venue}."),
            ("All levels welcome, just show up.", "We're a small, friendly group."),
            ("Message me for details.", "Reply here and I'll add you to the group chat."),
        )),
    "events": Vocab(
        "community", price=(5, 40), free_share=0.6,
        items=("the farmers market", "an outdoor movie night", "the spring craft fair",
               "a food truck festival", "a charity 5K", "live music in the park",
               "the community yard sale", "trivia night"),
        details=("local vendors and food", "family friendly", "live music all afternoon",
                 "proceeds go to the food bank", "dogs on leashes welcome")),
    "lost-and-found": Vocab(
        "community", weight=0.8,
        items=("gray tabby cat", "black Labrador", "set of keys on a red lanyard",
               "brown leather wallet", "pair of prescription glasses", "small white dog",
               "child's blue backpack", "wedding ring", "orange cat with white paws"),
        titles=("{lost_found}: {item} near {street}", "{lost_found} {item} in {city}",
                "{lost_found} {item} on {street} - please help"),
        body=(
            ("{lost_found} {a_item} near {street} in {city} on {day}.",),
            ("{lost_found_line}",),
            ("Please call or text, any time.", "Reply here with details."),
        )),
    "volunteers": Vocab(
        "community", weight=0.6,
        items=("food bank sorting", "dog walking at the animal shelter", "park cleanup",
               "after-school tutoring", "meal delivery to seniors", "community garden work days"),
        titles=("Volunteers needed: {item}", "Help wanted for {item} this {day}",
                "Volunteer with us: {item}"),
        body=(
            ("We're looking for volunteers for {item} in {city}.",),
            ("Shifts are about {n} hours on {day}s.",),
            ("No experience needed; we'll show you everything.",
             "Great for students who need service hours."),
            ("Reply here to sign up.", "Email us and we'll send the schedule."),
        )),
    "classes": Vocab(
        "community", weight=0.7, price=(10, 80), free_share=0.2,
        items=("beginner pottery", "yoga in the park", "watercolor painting", "salsa dancing",
               "CPR certification", "intro to woodworking", "conversational Spanish",
               "sourdough baking"),
        details=("all materials provided", "eight students at most",
                 "taught by a certified instructor", "drop-ins welcome"),
        titles=("{item} class - beginners welcome", "{item} workshop this {day}",
                "Learn {item} in {city}"),
        body=(
            ("Small-group {item} class at {venue} on {day}s at {time}.",),
            ("{Detail}.",),
            ("Cost: {admission} per class.",),
            ("Spots are limited; message to reserve.",),
        )),
    "groups": Vocab(
        "community", weight=0.6,
        items=("new parents", "dog owners", "photography", "gardening", "knitting", "chess",
               "local history"),
        titles=("{item} group meets every {day}", "Starting a {item} group in {city}",
                "{item} meetup - all welcome"),
        body=(
            ("Our {item} group meets every {day} at {venue}.",
             "We're starting a {item} group in {city}."),
            ("A few regulars so far, always room for more.",
             "Casual and friendly, no commitment."),
            ("Reply and I'll send details.",),
        )),
}

GIGS: dict[str, Vocab] = {
    "computer-gigs": Vocab("gig", price=(50, 600), items=(
        "set up a small business website", "fix my WordPress site", "move files to a new laptop",
        "build an Excel budget spreadsheet", "set up home Wi-Fi and a printer")),
    "creative-gigs": Vocab("gig", price=(75, 800), items=(
        "photograph a birthday party", "design a logo for my food truck",
        "edit a short promo video", "paint a mural in our cafe", "draw a custom pet portrait")),
    "crew-gigs": Vocab("gig", weight=0.6, price=(80, 400), items=(
        "work as a PA on a two-day film shoot", "help build sets for a community theater",
        "run lights for a weekend show")),
    "domestic-gigs": Vocab("gig", weight=1.2, price=(40, 300), items=(
        "deep clean a two-bedroom apartment", "organize a cluttered garage",
        "babysit two kids on Saturday night", "cook healthy meals for the week",
        "house sit and water plants for a week")),
    "event-gigs": Vocab("gig", price=(60, 500), items=(
        "bartend a backyard wedding", "serve at a private dinner party",
        "DJ a 40th birthday party", "staff a festival booth")),
    "labor-gigs": Vocab("gig", weight=1.4, price=(40, 300), items=(
        "move a couch up two flights of stairs", "unload a moving truck",
        "haul away yard waste", "assemble IKEA furniture", "dig post holes for a fence")),
    "writing-gigs": Vocab("gig", weight=0.8, price=(30, 400), items=(
        "write product descriptions for an online store", "proofread a 40-page report",
        "write five blog posts about gardening", "edit a college application essay",
        "translate a restaurant menu into Spanish")),
}

# fmt: on

CATEGORIES: dict[str, Vocab] = {
    **FOR_SALE,
    **VEHICLES,
    **HOUSING,
    **JOBS,
    **SERVICES,
    **COMMUNITY,
    **GIGS,
}
