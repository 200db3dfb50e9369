"""Word lists the message-kind corpus is built from: invented people, companies, titles, topics and phrasings.

None of these come from the demo portfolio or an eval set; they are the ordinary vocabulary of a rep's
messages, so that what the classifier learns is the shape of a message (narrative, request, reply, small
talk), not particular names.
"""

from __future__ import annotations

FIRST = (
    "Anna", "Ben", "Carla", "Dev", "Elena", "Farid", "Gita", "Hugo", "Ines", "Jonas", "Kemi", "Lars", "Mei", "Nadia",
    "Omar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wes", "Xena", "Yusuf", "Zoe", "Aditi",
    "Bruno", "Chloe", "Diego", "Erik", "Fatima", "Greta", "Hassan", "Ivy", "Jack", "Keiko", "Leon", "Marta", "Nico",
    "Olga", "Pedro", "Rahul", "Sofia", "Theo", "Uma", "Victor", "Wanda", "Yara", "Amir", "Bea", "Cyril", "Dora",
)
LAST = (
    "Abbott", "Bauer", "Costa", "Dubois", "Eriksen", "Fontaine", "Garcia", "Hughes", "Ibarra", "Jensen", "Kowalski",
    "Lindqvist", "Moreau", "Nakamura", "Okonkwo", "Petrov", "Quinn", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga",
    "Walsh", "Yilmaz", "Zhang", "Andersson", "Brennan", "Chen", "Dimitrov", "Evans", "Fischer", "Gupta", "Hale",
    "Iqbal", "Kaur", "Lopez", "Mensah", "Novak", "Olsen", "Park", "Reyes", "Sato", "Torres", "Weber", "Young",
)
COMPANY_HEAD = (
    "Borealis", "Cinder", "Dunmore", "Everly", "Foxglove", "Galeway", "Hollins", "Juniper", "Kestrel", "Larkspur",
    "Mistral", "Nimbus", "Oakhurst", "Pellham", "Quarry", "Rookwood", "Saltmarsh", "Thornbury", "Umber", "Valemont",
    "Wexford", "Yarrow", "Zenith", "Ashgrove", "Brampton", "Corbel", "Delphine", "Elmstead", "Fenwick", "Glenrock",
)
COMPANY_TAIL = (
    "", "", "", " Freight", " Group", " Foods", " Logistics", " Systems", " Partners", " Health", " Bank", " Energy",
    " Retail", " Labs", " Insurance", " Telecom", " Corp", " Industries", " Pharma", " Motors", " Capital",
)
TITLES = (
    "CFO", "CTO", "CIO", "COO", "CISO", "CEO", "VP Finance", "VP of Operations", "Head of IT", "Head of Procurement",
    "procurement lead", "IT director", "Director of Supply Chain", "head of data", "finance lead", "ops manager",
    "category manager", "program manager", "security architect", "buyer", "general counsel", "Head of Digital",
)
TOPICS = (
    "pricing", "the renewal", "budget", "the rollout", "the integration", "the invoice", "SSO", "the migration",
    "data residency", "the SLA", "support tickets", "the roadmap", "headcount", "the pilot", "the new module",
    "security review", "onboarding", "the contract", "the price increase", "uptime", "the API", "training",
    "the expansion", "licence count", "the outage", "reporting", "the dashboard", "the Berlin site", "payment terms",
)
TOOL_WORDS = (
    "the QBR", "the quarterly review", "the account plan", "the plan", "the score", "commitments", "a competitor",
    "the matrix", "their quadrant", "the health check", "the follow-ups", "the overdue items", "the white space",
    "the stakeholder map", "the renewal", "the notes", "the drift", "the action items",
)
COMPETITORS = ("Corvane", "Stratix", "Bluepeak", "Norvo", "Quantel", "Helixa", "Vantor")
MEETINGS = (
    "call", "meeting", "QBR", "lunch", "coffee", "demo", "workshop", "sync", "check-in", "catch-up", "zoom",
    "onsite", "dinner", "exec review", "steering committee", "kickoff", "quick chat", "weekly sync",
)
PAST_DATES = (
    "today", "yesterday", "this morning", "this afternoon", "last night", "on Tuesday", "on Monday", "on Friday",
    "last week", "earlier today", "two days ago", "on the 12th", "Nov 18", "last Thursday", "", "", "",
)
FUTURE_DATES = (
    "by Friday", "tomorrow", "next week", "by the 30th", "EOM", "by end of month", "within two weeks", "on Monday",
    "next Wednesday", "by EOD", "before the renewal", "in a couple of days", "this week", "by next Tuesday", "",
    "asap", "end of quarter", "by mid December", "early next month",
)
MOOD_POS = (
    "was happy with", "loved", "was keen on", "is excited about", "was positive about", "liked", "was impressed by",
    "seemed pleased with", "is on board with", "was upbeat about", "gave good feedback on",
)
MOOD_NEG = (
    "was worried about", "pushed back on", "is frustrated with", "was annoyed by", "is concerned about",
    "complained about", "was sceptical about", "is unhappy with", "was lukewarm on", "was cold on",
)
MOOD_MIXED = (
    "happy with service, annoyed by {topic}", "not unhappy, just exploring options", "liked the demo but worried "
    "about {topic}", "mixed feelings on {topic}", "fine overall, some grumbling about {topic}",
)
OUR_ACTIONS = (
    "send the quote", "send over the ROI deck", "set up a call with our CISO", "share the pricing sheet",
    "get legal to review the contract", "book the workshop", "follow up on {topic}", "draft a proposal",
    "fix the invoice", "loop in our solutions engineer", "circulate the notes", "schedule the training",
    "get our CISO on a call", "put together a timeline", "check on {topic}", "send the revised SOW",
    "come back with numbers", "arrange a site visit", "share the case study", "chase finance on the credit note",
)
THEIR_ACTIONS = (
    "confirm budget", "send the security questionnaire", "sign the order form", "introduce us to their CFO",
    "share the usage data", "get back to us on {topic}", "review the proposal", "loop in procurement",
    "send the requirements", "set up a meeting with IT", "confirm the headcount", "approve the PO",
)
COMMANDS = {
    "score": ("score {co}", "rescore {co}", "what's {co}'s score", "how does {co} score", "rate {co} on the criteria",
              "scoer {co}", "give me the attractiveness for {co}", "score breakdown for {co} pls"),
    "quadrant": ("which quadrant is {co} in", "what segment is {co}", "is {co} develop or defend",
                 "coverage model for {co}", "where does {co} sit"),
    "matrix": ("show my matrix", "show the team matrix", "portfolio view", "where do my accounts sit",
               "how many develop accounts do we have", "calibration by scorer", "show matrix for all"),
    "plan": ("draft a plan for {co}", "write the account plan for {co}", "update the {co} plan",
             "white space for {co}", "I need an account plan for {co}", "refresh the plan for {co}",
             "what goes into a good account plan", "draft plan {co}"),
    "dark": ("who's gone dark at {co}", "which stakeholders went quiet at {co}", "who haven't we talked to at {co}",
             "is {co} single threaded", "anyone cooling at {co}", "who should I re-engage"),
    "qbr": ("prep the QBR for {co}", "prep my qbr {co}", "get me ready for the {co} review", "QBR brief for {co}",
            "agenda for the {co} business review", "prepare the quarterly review for {co}"),
    "drift": ("which accounts are drifting", "what's slipping in my book", "any accounts at risk",
              "show declining accounts", "how are {rep}'s accounts doing", "which of {rep}'s accounts are at risk",
              "drifting accounts over the last 60 days"),
    "commitments": ("what's overdue", "my open commitments for {co}", "what do we owe {co}", "what's due this week",
                    "list my action items", "mark C00{n} as done", "snooze C00{n} for 3 days", "overdue for my team",
                    "reassign C00{n} to {first}", "what did I promise {co}", "close commitment C00{n}"),
    "search": ("what did {first} say about {topic}", "find notes mentioning {comp}", "search notes for {topic}",
               "did anyone at {co} mention {comp}", "any notes on {topic} at {co}", "who raised {topic}"),
    "guidance": ("how should I run a develop account", "what is white space analysis", "what is margin leakage",
                 "how do I multi-thread an account", "tips for exec sponsorship", "explain share of wallet",
                 "what makes a good champion", "best practice for a QBR", "how often should we meet a defend account",
                 "what goes into a good QBR"),
}
# Requests as people also type them: bare noun phrases, follow-ups that lean on the thread, and a command after
# the context that prompted it ("I've got the review with X on Thursday, prep me").
FRAGMENTS = (
    "qbr prep {co}", "my kam matrix", "overdue", "stakeholder flags for {co}", "notes mentioning {comp}",
    "{co} score", "{co} quadrant", "{co} plan", "commitments {co}", "drift last 30 days", "matrix", "my book",
    "{co}'s quadrant", "team overdue", "due soon", "dark stakeholders {co}", "{co} health", "open commitments",
    "just my own", "same for {co}", "and for {co}?", "what about {co}", "now the plan", "over the last 60 days",
    "only overdue ones", "the team's", "for the whole team", "and the QBR?", "also score it", "{first}'s accounts",
)
CONTEXTS = (
    "I've got the {meeting} with {co} {future}", "seeing {first} at {co} {future}", "meeting {co} {future}",
    "{co} {meeting} {future}", "big {meeting} with {co} coming up", "I'm presenting to {co} {future}",
    "heading into the {co} {meeting}", "{first} from {co} wants a {meeting} {future}",
)
# What happened, said before asking for something ("after my call with X today, draft an updated plan").
PAST_CONTEXTS = (
    "after my {meeting} with {co} today", "following the {meeting} with {co}", "after today's {meeting} with {co}",
    "before I forget", "with the {meeting} done", "post {meeting} with {first}", "once the {meeting} with {co} ended",
)
CONTEXT_ASKS = (
    "prep me", "can you prep it", "brief me", "what should I cover?", "what do I need to know?", "help me prepare",
    "anything I should raise?", "pull the brief", "what's overdue for them?", "who should I bring?",
    "give me the talking points", "what did they say last time?", "can you draft the plan first",
)
CONFIRM = (
    "ok confirm", "confirm", "yes", "yes, save it", "looks right", "looks good", "yep", "go ahead", "save",
    "correct", "that's right", "perfect, log it", "sounds good", "👍", "ok", "yes please", "all good, save",
    "confirmed", "ship it", "lgtm", "sure", "do it", "yup thats right",
)
CANCEL = (
    "cancel", "no", "scrap that", "forget it", "don't save", "nope", "discard", "never mind", "leave it",
    "no, drop it", "abort", "nah", "dont log that",
)
CORRECTIONS = (
    "change the date to {past}", "the owner is {first}", "{full} is the new {title}", "drop the second one",
    "drop the second commitment", "make it {future}", "it was {past}", "actually it was a {meeting}",
    "the due date is {future}", "remove {first}", "{first} wasn't there", "sentiment for {first} should be neutral",
    "not {first}, {first2}", "it's {co}, not the other one", "add {full} as a participant", "date should be {past}",
    "owner: {first}", "change owner to {first}", "it's due {future}", "that one's theirs not ours",
    "wrong account, it's {co}", "the first one", "the second", "{first} is on their side",
)
ANSWERS = ("{full}", "{first} {last}", "{co}", "the one at {co}", "{full}, the {title}", "{first} from {co}",
           "{full} ({title})", "it was {past}", "{co} please", "the {title}")
SMALL_TALK = (
    "hi", "hello", "hey there", "thanks!", "thank you", "cheers", "good morning", "morning!", "how are you",
    "lol", "nice one", "bye", "see you", "ty", "thx", "great, thanks", "who are you", "what can you do",
    "tell me a joke", "what's the weather like", "happy friday", "hello? anyone there", "good night", "awesome",
    "haha", "you're the best", "help", "what time is it", "how's it going", "sorry, wrong channel", "test",
    "ping", "are you a bot?", "what's up", "yo", "brb", "ok thanks bye", "have a good weekend",
)
# Thanks, praise of the assistant and sign-offs, composed (``corpus._small_talk``): "thanks, you've been a great
# help today!", "perfect, that's all for now".
THANKS = ("thanks", "thank you", "thx", "ty", "cheers", "many thanks", "much appreciated", "appreciate it",
          "perfect, thanks", "brilliant, thank you", "great stuff", "awesome, ty", "nice, cheers", "ok thank you")
PRAISE = ("you've been a great help", "that was really useful", "you're a lifesaver", "super helpful",
          "that's exactly what I needed", "really handy", "you saved me an hour", "great job", "nice work",
          "love it", "you're a star", "that helped a lot", "very helpful", "you made my day easier")
SIGN_OFFS = ("that's all for now", "that's everything", "talk later", "see you tomorrow", "have a good one",
             "I'm done for today", "catch you later", "bye for now", "that'll do", "all good for now",
             "nothing else", "that's it from me", "speak tomorrow", "signing out now")
WHEN = ("today", "this week", "again", "as always", "as usual", "this morning")
IMPERATIVES = (
    "score", "rescore", "rate", "show", "list", "draft", "write", "prep", "prepare", "find", "search", "give",
    "get", "pull", "mark", "snooze", "reassign", "close", "update", "refresh", "plot", "tell", "explain", "flag",
    "check", "run", "create", "build", "help", "compare", "change", "drop", "remove", "add", "make", "cancel",
)
