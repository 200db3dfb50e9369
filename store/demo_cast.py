"""The demo portfolio's fixed cast and vocabulary: users, products, competitors, industries, name pools.

Everything here is constant: the names the demo shows do not depend on the date it is generated for.
The planted story accounts live in ``store/demo_stories.py``.
"""

from __future__ import annotations

# id, name, role, manager_id
USERS: tuple[tuple[str, str, str, str | None], ...] = (
    ("U01", "Grace Okafor", "manager", None),
    ("U02", "Sam Patel", "kam", "U01"),
    ("U03", "Jordan Lee", "rep", "U01"),
    ("U04", "Maria Santos", "rep", "U01"),
    ("U05", "Tom Becker", "rep", "U01"),
    ("U06", "Lena Fischer", "admin", None),
)
MANAGER, KAM, REPS, ADMIN = "U01", "U02", ("U03", "U04", "U05"), "U06"
INFLATING_SCORER = "U05"
SELLERS = (KAM, *REPS)

PRODUCTS: tuple[tuple[str, str], ...] = (
    ("P01", "Nimbus Analytics"),
    ("P02", "Nimbus Data Platform"),
    ("P03", "FlowOps Automation"),
    ("P04", "Sentinel Security Suite"),
    ("P05", "Atlas Integration Hub"),
    ("P06", "Pulse Customer Insights"),
    ("P07", "Ledger Billing"),
    ("P08", "Beacon Field Service"),
)

COMPETITORS = ("Corvane", "Stratify", "Quantrix Cloud", "BlueHarbor Software")

INDUSTRIES: dict[str, tuple[str, ...]] = {
    "Manufacturing": ("Industrial Products", "Aftermarket Services", "Plant Operations"),
    "Retail": ("Stores", "E-commerce", "Supply Chain"),
    "Financial Services": ("Retail Banking", "Wealth Management", "Operations"),
    "Insurance": ("Claims", "Underwriting", "Customer Service"),
    "Healthcare": ("Hospitals", "Clinics", "Revenue Cycle"),
    "Logistics": ("Freight", "Warehousing", "Last Mile"),
    "Energy": ("Generation", "Grid Operations", "Retail Energy"),
    "Telecommunications": ("Consumer Mobile", "Enterprise", "Network Operations"),
    "Food & Beverage": ("Dairy", "Beverages", "Distribution"),
    "Pharmaceuticals": ("R&D", "Manufacturing", "Commercial"),
    "Software": ("Platform", "Professional Services", "Customer Success"),
    "Public Sector": ("Citizen Services", "Finance", "IT Services"),
    "Automotive": ("Vehicle Production", "Dealer Network", "Aftersales"),
}

# Curated names for the first accounts after the story ones (name, industry); shuffled by the seed.
COMPANIES: tuple[tuple[str, str], ...] = (
    ("Pinecrest Health Partners", "Healthcare"), ("Silverline Telecom", "Telecommunications"),
    ("Orion Freight Systems", "Logistics"), ("Redwood Capital Bank", "Financial Services"),
    ("Summit Energy Co", "Energy"), ("Bluewater Pharma", "Pharmaceuticals"),
    ("Crescent Automotive Group", "Automotive"), ("Meridian Insurance", "Insurance"),
    ("Stonebridge Manufacturing", "Manufacturing"), ("Lakeside Foods", "Food & Beverage"),
    ("Vantage Retail", "Retail"), ("Harborview Hospitals", "Healthcare"), ("Cobalt Software", "Software"),
    ("Evergreen Utilities", "Energy"), ("Ironwood Industrial", "Manufacturing"),
    ("Clearview Telecom", "Telecommunications"), ("Granite State Logistics", "Logistics"),
    ("Maple Leaf Grocers", "Retail"), ("Falcon Aerospace Components", "Manufacturing"),
    ("Aurora Health Systems", "Healthcare"), ("Copperfield Brewing", "Food & Beverage"),
    ("Tidewater Shipping", "Logistics"), ("Quantum Materials", "Manufacturing"), ("Prairie Mutual", "Insurance"),
    ("Sterling Wealth Partners", "Financial Services"), ("Westbrook Energy", "Energy"),
    ("Kingsley Automotive", "Automotive"), ("Riverstone Pharma", "Pharmaceuticals"),
    ("Oakmont Retail Group", "Retail"), ("Silvergate Logistics", "Logistics"), ("Highland Dairy Co", "Food & Beverage"),
    ("Northstar Transit Authority", "Public Sector"), ("Cedar Valley Health", "Healthcare"),
    ("Apex Components", "Manufacturing"), ("Bayside Grocers", "Retail"), ("Lumen Telecom", "Telecommunications"),
    ("Pioneer Insurance Group", "Insurance"), ("Crown Point Manufacturing", "Manufacturing"),
    ("Vertex Software", "Software"), ("Fairway Financial", "Financial Services"),
    ("Emerald Coast Utilities", "Energy"), ("Trident Shipping", "Logistics"),
    ("Sequoia Medical Devices", "Healthcare"), ("Blue Ridge Foods", "Food & Beverage"),
    ("County of Marlow", "Public Sector"), ("Brookfield Motors", "Automotive"),
)

# Parts of generated company names, for portfolios larger than the curated list.
NAME_HEADS = (
    "Amber", "Birch", "Cascade", "Delta", "Ember", "Fox", "Golden", "Hawthorne", "Indigo", "Juniper", "Kestrel",
    "Linden", "Marble", "Nordic", "Opal", "Pacific", "Quarry", "Raven", "Saffron", "Tamarack", "Umber", "Valor",
    "Willow", "Yarrow", "Zephyr", "Alder", "Bison", "Canyon", "Dune", "Elm", "Fjord", "Glacier", "Heron", "Iris",
    "Jasper", "Keel", "Lark", "Moss", "Nova", "Osprey",
)
NAME_PLACES = (
    "Valley", "Ridge", "Harbor", "Point", "Creek", "Bay", "Hill", "Field", "Lake", "Park", "Crest", "Rock", "Springs",
    "Meadow", "Coast", "Brook", "Grove", "Peak", "Shore", "Gate", "Hollow", "Mill", "Port", "Stone", "Cross", "Bend",
    "Falls", "Heights", "Island", "Plains", "Sound", "Wood", "Vale", "Moor", "Ford", "Haven", "Landing", "Reach",
    "Cove", "Summit",
)
NAME_TRADES: tuple[tuple[str, str], ...] = (
    ("Logistics", "Logistics"), ("Foods", "Food & Beverage"), ("Health", "Healthcare"), ("Energy", "Energy"),
    ("Telecom", "Telecommunications"), ("Bank", "Financial Services"), ("Insurance", "Insurance"),
    ("Retail", "Retail"), ("Pharma", "Pharmaceuticals"), ("Motors", "Automotive"), ("Software", "Software"),
    ("Manufacturing", "Manufacturing"),
)
NAME_TAILS = ("", "Group", "Holdings", "Partners", "Co", "International")

FIRST_NAMES = (
    "Aaron", "Abigail", "Adrian", "Aisha", "Alan", "Alice", "Andre", "Angela", "Anton", "Arjun", "Beatriz", "Bianca",
    "Brandon", "Brian", "Caroline", "Catherine", "Chloe", "Claire", "Connor", "Daniel", "David", "Diego", "Eduardo",
    "Eleanor", "Emily", "Emma", "Erik", "Esther", "Ethan", "Felix", "Fiona", "Francesca", "Gabriel", "George",
    "Hannah", "Harriet", "Hassan", "Hugo", "Ian", "Ingrid", "Isaac", "Isabel", "Ivan", "Jack", "James", "Jasmine",
    "Javier", "Jessica", "Joanna", "Jonas", "Joseph", "Kamal", "Kate", "Kenji", "Kevin", "Kim", "Laura", "Leila",
    "Liam", "Linda", "Lucas", "Luke", "Mark", "Martina", "Matthew", "Maya", "Michael", "Mohammed", "Monica",
    "Nathan", "Neil", "Nicole", "Noah", "Oliver", "Oscar", "Patrick", "Paula", "Peter", "Philip", "Rajesh",
    "Rebecca", "Ricardo", "Rita", "Robin", "Ruth", "Ryan", "Samira", "Sandra", "Sebastian", "Simon", "Sophie",
    "Stefan", "Stephanie", "Susan", "Tariq", "Teresa", "Thomas", "Valentina", "Vanessa", "Walter", "William",
    "Yasmin", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Abbott", "Adeyemi", "Andersson", "Arnold", "Bailey", "Banerjee", "Barker", "Bauer", "Bennett", "Bianchi",
    "Bishop", "Blake", "Bowen", "Campbell", "Carter", "Castillo", "Chandler", "Clarke", "Costa", "Crawford",
    "Dalgaard", "Das", "Dawson", "Diaz", "Dixon", "Doyle", "Duarte", "Dubois", "Edwards", "Ellis", "Evans",
    "Ferreira", "Fleming", "Foster", "Garcia", "Gibson", "Gomez", "Gordon", "Graham", "Gupta", "Hansen",
    "Harper", "Hayes", "Hoffmann", "Hughes", "Ibrahim", "Ito", "Jansen", "Jenkins", "Johansson", "Kaur",
    "Keller", "Kennedy", "Khan", "Klein", "Kumar", "Lambert", "Larsson", "Lopez", "Lowe", "Maddox", "Marshall",
    "Martin", "Mason", "Meyer", "Mitchell", "Moreau", "Morgan", "Murphy", "Nakamura", "Nash", "Nguyen",
    "Nielsen", "O'Brien", "Olsen", "Ortiz", "Owens", "Park", "Pearson", "Perez", "Petrov", "Porter", "Reid",
    "Reyes", "Richter", "Rossi", "Russo", "Sato", "Schmidt", "Silva", "Singh", "Sutton", "Svensson", "Taylor",
    "Thornton", "Turner", "Vargas", "Vogel", "Wagner", "Walker", "Ward", "Weber", "Wells", "Wright", "Young",
    "Zimmerman",
)

# (title, department, authority, influence range, executive)
EXEC_BUDGET = (("Chief Financial Officer", "Finance"), ("VP Finance", "Finance"))
EXEC_APPROVER = (
    ("Chief Information Officer", "IT"), ("Chief Operating Officer", "Operations"),
    ("Chief Technology Officer", "IT"), ("Chief Digital Officer", "Digital"),
)
CHAMPION_TITLES = (
    ("Director of Operations", "Operations"), ("Head of Data & Analytics", "IT"),
    ("Director of Customer Experience", "Customer Service"), ("Head of Business Systems", "IT"),
    ("Director of IT Applications", "IT"), ("VP Transformation", "Strategy"),
)
VETO_TITLES = (
    ("Procurement Manager", "Procurement"), ("Head of Procurement", "Procurement"),
    ("Information Security Lead", "IT"), ("Legal Counsel", "Legal"),
)
OTHER_TITLES = (
    ("IT Director", "IT"), ("Operations Manager", "Operations"), ("Finance Manager", "Finance"),
    ("Business Analyst", "Operations"), ("Data Engineer", "IT"), ("Customer Service Manager", "Customer Service"),
    ("Project Manager", "PMO"), ("Systems Administrator", "IT"), ("Category Manager", "Procurement"),
    ("Marketing Operations Manager", "Marketing"), ("Regional Sales Director", "Sales"),
    ("HR Business Partner", "HR"), ("Solutions Architect", "IT"), ("Controller", "Finance"),
)

DOCUMENTS = (
    "ROI summary", "revised pricing proposal", "security questionnaire answers", "implementation plan",
    "usage report", "reference customer contacts", "integration runbook", "renewal options",
)
