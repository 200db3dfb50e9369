"""The planted stories of the demo portfolio: six accounts whose people, notes and commitments are fixed.

Offsets are in days: ``last`` and ``days_ago`` count back from ``as_of``, ``due`` / ``done`` / ``close``
count forward (negative: in the past). The generator in ``store/demo.py`` adds ordinary activity
around them that never touches a person more recently than their ``last``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cast:
    """A planted stakeholder. ``last``: days since their last ordinary touch (``None``: never met);
    ``mood``: the sentiment of their ordinary touches."""

    name: str
    title: str
    department: str
    authority: str = "none"
    influence: int = 3
    executive: bool = False
    tag: str | None = None
    reports_to: str | None = None
    last: int | None = None
    mood: int = 1


@dataclass(frozen=True)
class Note:
    days_ago: int
    kind: str
    author: str
    people: tuple[tuple[str, int | None], ...]  # (stakeholder name, sentiment)
    text: str


@dataclass(frozen=True)
class Promise:
    side: str
    description: str
    due: int
    status: str = "open"
    done: int | None = None


@dataclass(frozen=True)
class Deal:
    name: str
    product: str
    business_unit: str
    amount: float
    stage: str
    created: int  # days ago
    close: int  # days from as_of (negative: past)


@dataclass(frozen=True)
class Story:
    id: str
    name: str
    owner: str
    industry: str
    business_units: tuple[str, ...]
    revenue: float
    margin: float
    wallet: float | None
    cost_to_serve: float
    growth_target: float
    judgment: tuple[int | None, int | None, int | None, int | None]  # growth, fit, competitive, propensity
    scored_by: str | None
    summary: str
    people: tuple[Cast, ...] = ()  # empty: ordinary stakeholders generated from the seed
    activity: int = 20  # ordinary interactions over the year
    qbrs: tuple[int, ...] = ()  # days ago of ordinary QBRs
    notes: tuple[Note, ...] = ()
    commitments: tuple[Promise, ...] = ()
    deals: tuple[Deal, ...] = field(default_factory=tuple)
    plans: tuple[int, ...] = ()  # days ago of account plan versions


ACME = Story(
    id="A001", name="Acme Corp", owner="U02", industry="Manufacturing",
    business_units=("Industrial Products", "Aftermarket Services", "Digital Solutions"),
    revenue=4_200_000, margin=38, wallet=9_500_000, cost_to_serve=380_000, growth_target=900_000,
    judgment=(5, 5, 4, 4), scored_by="U02",
    summary="the KAM's flagship; CFO Dana Whitfield worried about budget and renewal pricing; two Priyas; "
            "QBR due (last one 85 days ago)",
    people=(
        Cast("Dana Whitfield", "Chief Financial Officer", "Finance", "budget", 5, True, last=31, mood=1),
        Cast("Marcus Chen", "Chief Information Officer", "IT", "approver", 5, True, last=18),
        Cast("Helen Brooks", "Chief Operating Officer", "Operations", "approver", 5, True, last=22),
        Cast("Priya Raman", "VP Operations", "Operations", "none", 4, tag="champion", reports_to="Helen Brooks",
             last=9, mood=2),
        Cast("Priya Shah", "Procurement Manager", "Procurement", "veto", 3, reports_to="Dana Whitfield", last=20,
             mood=0),
        Cast("Ray Dalton", "IT Director", "IT", "none", 4, tag="blocker", reports_to="Marcus Chen", last=26,
             mood=-1),
        Cast("Elena Novak", "Head of Customer Experience", "Customer Service", "none", 3,
             reports_to="Helen Brooks", last=40),
        Cast("Ben Okoro", "Data Engineering Manager", "IT", "none", 2, reports_to="Ray Dalton", last=55, mood=0),
        Cast("Sofia Marin", "Financial Analyst", "Finance", "none", 1, reports_to="Dana Whitfield"),
    ),
    activity=34, qbrs=(85, 176, 267, 358),
    notes=(
        Note(12, "meeting", "U02", (("Dana Whitfield", 0), ("Priya Shah", 0)),
             "Renewal pricing review with Dana Whitfield (CFO) and Priya Shah (Procurement Manager). Dana pushed "
             "back on the 7% uplift in our renewal quote for Nimbus Analytics and asked us to hold pricing flat "
             "for another year; Priya wants the quote split by business unit. They mentioned Corvane has offered "
             "a three-year deal at a lower price."),
        Note(5, "call", "U02", (("Dana Whitfield", -1),),
             "Call with Dana Whitfield (CFO). Dana said she is worried about budget: finance has frozen new spend "
             "until the board approves next year's plan, and she is not comfortable with the renewal pricing as "
             "quoted. She asked for an ROI summary showing what Nimbus Analytics and FlowOps Automation saved the "
             "plant teams before she signs anything."),
    ),
    commitments=(
        Promise("ours", "Send Dana Whitfield the ROI summary for Nimbus Analytics and FlowOps Automation", due=2),
        Promise("ours", "Send a revised renewal quote split by business unit", due=9),
        Promise("customer", "Priya Shah to return the procurement security questionnaire", due=-6),
        Promise("ours", "Run the FlowOps Automation workshop for the plant managers", due=-60, status="done",
                done=-62),
    ),
    deals=(
        Deal("Nimbus Analytics renewal", "P01", "Industrial Products", 1_200_000, "negotiation", 120, 40),
        Deal("FlowOps Automation expansion", "P03", "Aftermarket Services", 450_000, "proposal", 70, 75),
        Deal("Sentinel Security Suite pilot", "P04", "Digital Solutions", 180_000, "qualification", 45, 120),
        Deal("Atlas Integration Hub rollout", "P05", "Digital Solutions", 300_000, "closed_lost", 300, -150),
        Deal("Nimbus Data Platform", "P02", "Industrial Products", 800_000, "closed_won", 340, -210),
    ),
    plans=(280, 190, 100),
)

HALCYON = Story(
    id="A002", name="Halcyon Retail Group", owner="U04", industry="Retail",
    business_units=("Stores", "E-commerce", "Supply Chain"),
    revenue=2_650_000, margin=31, wallet=6_000_000, cost_to_serve=260_000, growth_target=550_000,
    judgment=(4, 4, 3, 3), scored_by="U04",
    summary="DRIFTING: champion Nina Alvarez turned negative 9 days ago (integration outage, evaluating "
            "Corvane); CFO cutting budget; two of our commitments went overdue inside the window",
    people=(
        Cast("Nina Alvarez", "Director of E-commerce", "E-commerce", "none", 4, tag="champion", last=41, mood=2),
        Cast("Robert Lang", "Chief Financial Officer", "Finance", "budget", 5, True, last=44),
        Cast("Owen Price", "Chief Information Officer", "IT", "approver", 5, True, last=15),
        Cast("Lucia Romano", "VP Stores", "Stores", "approver", 4, last=19),
        Cast("Derek Walsh", "Head of Procurement", "Procurement", "veto", 3, reports_to="Robert Lang", last=24,
             mood=0),
        Cast("Amir Haddad", "E-commerce Platform Manager", "E-commerce", "none", 2, reports_to="Nina Alvarez",
             last=45),
        Cast("Julia Berg", "Supply Chain Analyst", "Supply Chain", "none", 1, reports_to="Lucia Romano"),
    ),
    activity=24, qbrs=(60, 150, 240, 330),
    notes=(
        Note(12, "call", "U04", (("Robert Lang", -1),),
             "Call with Robert Lang (CFO). Robert said next year's budget for IT vendors is being cut by 10% and "
             "he wants us to justify every E-commerce licence; he asked for pricing options before the renewal "
             "and warned that Pulse Customer Insights is not funded."),
        Note(9, "meeting", "U04", (("Nina Alvarez", -2), ("Amir Haddad", -1)),
             "Escalation meeting with Nina Alvarez (Director of E-commerce) and Amir Haddad (E-commerce Platform "
             "Manager). Atlas Integration Hub dropped orders between the web shop and the warehouse twice over the "
             "promo weekend; Nina said her team lost a full day of online sales and she is now evaluating Corvane "
             "as a replacement if the fix is not live before the renewal. Amir confirmed the sync errors are "
             "still in the logs."),
    ),
    commitments=(
        Promise("ours", "Fix the Atlas Integration Hub order sync for the web shop", due=-6),
        Promise("ours", "Send Nina Alvarez the incident report for the promo weekend outage", due=-3),
        Promise("customer", "Nina Alvarez to send the order logs from the promo weekend", due=1),
        Promise("ours", "Deliver the E-commerce analytics dashboard", due=-80, status="done", done=-78),
    ),
    deals=(
        Deal("Pulse Customer Insights for E-commerce", "P06", "E-commerce", 600_000, "proposal", 95, 60),
        Deal("Atlas Integration Hub renewal", "P05", "Supply Chain", 350_000, "negotiation", 110, 30),
        Deal("Beacon Field Service for stores", "P08", "Stores", 420_000, "closed_won", 320, -200),
    ),
    plans=(200, 110),
)

NORTHWIND = Story(
    id="A003", name="Northwind Logistics", owner="U03", industry="Logistics",
    business_units=("Freight", "Warehousing", "Last Mile"),
    revenue=3_400_000, margin=42, wallet=5_200_000, cost_to_serve=300_000, growth_target=700_000,
    judgment=(5, 4, 4, 4), scored_by="U03",
    summary="DRIFTING: executive sponsor Olivia Grant (COO) last met 38 days ago, just past the 30-day "
            "window of a Strategic Growth account, while her Beacon Field Service deal waits",
    people=(
        Cast("Olivia Grant", "Chief Operating Officer", "Operations", "approver", 5, True, last=45),
        Cast("Henrik Larsen", "Chief Financial Officer", "Finance", "budget", 5, True, last=11),
        Cast("Mei Tanaka", "VP Warehousing", "Warehousing", "none", 4, tag="champion", reports_to="Olivia Grant",
             last=7, mood=2),
        Cast("Carlos Ruiz", "Head of Procurement", "Procurement", "veto", 3, reports_to="Henrik Larsen", last=16,
             mood=0),
        Cast("Fatima Noor", "IT Director", "IT", "approver", 4, last=21),
        Cast("Leo Brandt", "Fleet Operations Manager", "Last Mile", "none", 2, reports_to="Olivia Grant", last=33),
        Cast("Anna Kowalski", "Logistics Analyst", "Freight", "none", 1, reports_to="Mei Tanaka"),
    ),
    activity=26, qbrs=(128, 219, 310),
    notes=(
        Note(38, "qbr", "U03", (("Olivia Grant", 1), ("Henrik Larsen", 1), ("Mei Tanaka", 2)),
             "QBR with Olivia Grant (COO), Henrik Larsen (CFO) and Mei Tanaka (VP Warehousing): reviewed the "
             "on-time delivery gains from FlowOps Automation in Freight. Olivia asked for a proposal to roll out "
             "Beacon Field Service to the Last Mile fleet and said she would sponsor it with the board."),
    ),
    commitments=(
        Promise("ours", "Send Olivia Grant the Beacon Field Service proposal for the Last Mile fleet", due=6),
        Promise("ours", "Share the FlowOps Automation on-time delivery report", due=-70, status="done", done=-72),
    ),
    deals=(
        Deal("Beacon Field Service for the Last Mile fleet", "P08", "Last Mile", 900_000, "proposal", 36, 90),
        Deal("FlowOps Automation renewal", "P03", "Freight", 520_000, "negotiation", 100, 45),
        Deal("Nimbus Analytics for Warehousing", "P01", "Warehousing", 260_000, "closed_won", 280, -160),
    ),
    plans=(220, 130),
)

BRIGHTWATER = Story(
    id="A004", name="Brightwater Foods", owner="U05", industry="Food & Beverage",
    business_units=("Dairy", "Beverages", "Distribution"),
    revenue=1_350_000, margin=27, wallet=4_100_000, cost_to_serve=170_000, growth_target=300_000,
    judgment=(5, 5, 4, 5), scored_by="U05",
    summary="DRIFTING: four of our commitments fell overdue inside the last 30 days (none were overdue "
            "before); champion Rachel Stone is chasing them",
    people=(
        Cast("Karen Liu", "Chief Financial Officer", "Finance", "budget", 5, True, last=13),
        Cast("Paul Mensah", "Chief Information Officer", "IT", "approver", 5, True, last=20),
        Cast("Rachel Stone", "Head of Supply Chain Planning", "Planning", "none", 4, tag="champion", last=16,
             mood=2),
        Cast("Victor Hale", "Procurement Manager", "Procurement", "veto", 3, reports_to="Karen Liu", last=23,
             mood=0),
        Cast("Nora Quinn", "Plant IT Manager", "IT", "none", 2, reports_to="Paul Mensah", last=37),
        Cast("Sean Byrne", "Demand Planner", "Planning", "none", 2, reports_to="Rachel Stone", last=50, mood=0),
    ),
    activity=20,
    notes=(
        Note(2, "call", "U05", (("Rachel Stone", 1),),
             "Call with Rachel Stone (Head of Supply Chain Planning). Rachel chased the FlowOps Automation fix for "
             "the Dairy plants and the usage report we promised; both are late. She is still on our side but "
             "said the plant managers keep asking why the integration fails, and Karen Liu wants a date."),
    ),
    commitments=(
        Promise("ours", "Deliver the FlowOps Automation integration fix for the Dairy plants", due=-26),
        Promise("ours", "Send the revised licence quote for Distribution", due=-19),
        Promise("ours", "Run the data-quality workshop with the planning team", due=-11),
        Promise("ours", "Share the quarterly usage report with Rachel Stone", due=-3),
        Promise("ours", "Prepare the renewal options for Karen Liu", due=12),
        Promise("customer", "Rachel Stone to confirm the workshop attendees", due=2),
        Promise("ours", "Send the Beverages onboarding checklist", due=-90, status="done", done=-95),
    ),
    deals=(
        Deal("FlowOps Automation for Beverages", "P03", "Beverages", 240_000, "qualification", 50, 100),
        Deal("Nimbus Analytics renewal", "P01", "Dairy", 310_000, "proposal", 80, 50),
    ),
    plans=(150,),
)

KEYSTONE = Story(
    id="A005", name="Keystone Mutual Insurance", owner="U03", industry="Insurance",
    business_units=("Claims", "Underwriting", "Customer Service"),
    revenue=950_000, margin=35, wallet=3_800_000, cost_to_serve=120_000, growth_target=190_000,
    judgment=(3, 3, 2, 2), scored_by="U03",
    summary="SINGLE-THREADED: five people mapped, only procurement's Gary Whitman engaged in 90 days",
    people=(
        Cast("Gary Whitman", "Procurement Manager", "Procurement", "veto", 3, last=6, mood=0),
        Cast("Irene Kovacs", "Chief Information Officer", "IT", "approver", 5, True, last=240),
        Cast("Martin Cole", "Chief Financial Officer", "Finance", "budget", 5, True),
        Cast("Sarah Lindqvist", "Head of Claims Operations", "Claims", "none", 4, last=300),
        Cast("Tim Fraser", "IT Project Manager", "IT", "none", 2, reports_to="Irene Kovacs"),
    ),
    activity=11,
    notes=(
        Note(3, "call", "U03", (("Gary Whitman", 0),),
             "Call with Gary Whitman (Procurement Manager). Gary is running the renewal as a price-only exercise "
             "and would not put us in front of the claims team; he wants our best price for Ledger Billing and "
             "said Stratify has quoted 12% less."),
    ),
    commitments=(
        Promise("ours", "Send Gary Whitman the revised Ledger Billing quote", due=-48),
        Promise("ours", "Send Gary Whitman the renewal timeline", due=1),
    ),
    deals=(
        Deal("Ledger Billing renewal", "P07", "Claims", 210_000, "negotiation", 60, 35),
    ),
)

GLOBEX = Story(
    id="A006", name="Globex Manufacturing", owner="U02", industry="Manufacturing",
    business_units=("Industrial Products", "Aftermarket Services", "Plant Operations"),
    revenue=5_100_000, margin=12, wallet=8_000_000, cost_to_serve=420_000, growth_target=600_000,
    judgment=(3, 3, 4, 3), scored_by="U02",
    summary="MARGIN LEAKAGE: the biggest revenue, 12% margin and a heavy cost to serve (contribution under "
            "4% of revenue); a cost-to-serve review long overdue",
    activity=30, qbrs=(70, 160, 250, 340),
    commitments=(
        Promise("ours", "Deliver the cost-to-serve review to Globex finance", due=-42),
        Promise("ours", "Send the Aftermarket Services support plan", due=20),
    ),
    deals=(
        Deal("Ledger Billing for Aftermarket Services", "P07", "Aftermarket Services", 380_000, "proposal", 60, 70),
        Deal("Sentinel Security Suite renewal", "P04", "Plant Operations", 450_000, "closed_won", 250, -120),
    ),
    plans=(300, 200, 105),
)

STORIES: tuple[Story, ...] = (ACME, HALCYON, NORTHWIND, BRIGHTWATER, KEYSTONE, GLOBEX)
DRIFTING_IDS: tuple[str, ...] = (HALCYON.id, NORTHWIND.id, BRIGHTWATER.id)
