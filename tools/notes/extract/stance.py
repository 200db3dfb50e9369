"""A person's stance toward us and the deal, read from the clauses whose subject they are.

Mood words ("worried", "keen") are in ``sentiment.py``. A stance is what a person does or is about the deal:
for it ("ok with the pricing", "signed off", "in favour of phase 2", "behind us", "our champion", "warming to
it") or against it ("against", "blocked the rollout", "keeps stalling", "postponed the decision again", "won't
commit", "leaning towards <a competitor>", "the tough one"). Many of these words are as often about a thing ("the
budget is approved", "a comparison against last year"), so a stance counts only for the subject of its clause:

- the person named right before it, with only auxiliaries, adverbs or symbols between ("Hugo blocked",
  "Anton again is against", "Philip is now our champion", "Erik → loves the dashboard");
- the person "she" / "he" stands for, after any lead words ("... but honestly he was pretty cold"): the last
  person named before who fits the pronoun;
- with nothing before it in its clause, the person heading the sentence ("Isaac: ok with the renewal", "Martina
  frustrated w/ Hugo but still fully behind us"), else for a sentence with no subject, the last person named.

How the meeting went, said of everyone in it, is ``meeting_mood.py``.
"""

from __future__ import annotations

import re

from tools.notes.extract import conduct
from tools.notes.extract.people import Mention, PeopleScan
from tools.notes.extract.phrases import THREAT
from tools.notes.extract.text import Piece, clauses

_FOR = (
    r"ok(?:ay)?\s+(?:with|w/)",
    # accepting the deal itself ("fine w renewal"; "fine with it" after a walkthrough is only acknowledgement)
    r"(?:fine|comfortable|cool)\s+(?:with|w/|w(?=\s))\s*(?:the\s+|our\s+|a\s+|new\s+)*(?:renewal|deal|price|"
    r"pricing|proposal|contract|terms|offer|quote|extension|us)\b",
    r"agree(?:s|d)?(?!\s+to\s+(?:send|share|get|set|book|provide|"
    r"return|confirm|check|review|look|come|meet|call|follow|do|run|write|draft|sign\b))", r"signed\s+off",
    r"sign(?:s|ed)?\s+off\s+on", r"signing\s+off\s+(?:on\s+)?(?:the|our|this|it)\b",
    r"all\s+in(?=\s*(?:[,.;:!)]|$|\s+on\b))", r"approved", r"in\s+fav(?:ou)?r(?:\s+of)?", r"behind\s+us",
    r"on\s+our\s+side",
    # behind it, up for it, and the buyer's own words: "fully behind the project", "'when can we start?'"
    r"(?:fully|firmly|squarely|right|completely|totally|solidly)\s+behind\b", r"behind\s+(?:the|our)\s+(?:project|"
    r"deal|proposal|renewal|rollout|plan|idea|pilot|extension|programme|program)\b", r"up\s+for\s+it",
    r"let['’]?s\s+(?:do\s+(?:it|this)|go\s+(?:ahead|for\s+it)|get\s+(?:this|it)\s+(?:done|going|signed|moving))",
    r"when\s+can\s+we\s+start",
    r"makes?\s+(?:(?:total|perfect|a\s+lot\s+of|good)\s+)?sense(?:\s+now)?(?=\s*(?:[,.;:!)\"'”’]|$))",
    r"support(?:s|ed|ing)?\s+(?:us|our\s+\w+|the\s+(?:project|deal|proposal|renewal|rollout|plan))",
    r"back(?:s|ed|ing)?\s+(?:us|our\s+\w+|the\s+(?:[\w-]+\s+)?(?:project|deal|proposal|renewal|rollout|plan|idea|"
    r"pilot|extension|programme|program|initiative))",
    # praise of us, reported: "said we've been great to work with", "says we're brilliant"
    r"(?:said|says|told\s+(?:me|us))\s+(?:that\s+)?(?:we|you)(?:['’]ve\s+been|['’]re|\s+are|\s+were|\s+have\s+been)\s+"
    r"(?:(?:really|so|very|always|just)\s+)?(?:great|brilliant|excellent|fantastic|amazing|superb|outstanding|"
    r"a\s+(?:great|fantastic|brilliant)\s+partner)",
    r"(?:real\s+|big(?:gest)?\s+|true\s+|internal\s+|key\s+)?champion",
    r"(?:big(?:gest)?\s+|real\s+|strong\s+)?(?:advocate|supporter|ally|well-?wisher)", r"our\s+(?:inside\s+)?coach",
    r"warming\s+(?:up\s+)?to", r"taken\s+with",  # "clearly taken with the uptime figures"
    # carrying our case inside: "pushing our case inside", "will take our proposal to the CTO"
    r"push(?:es|ed|ing)?\s+our\s+case",
    r"pushing\s+(?:hard\s+|internally\s+)?to\s+get\s+(?:it|this|us|the\s+[\w-]+)\s+(?:into|through|over|approved|"
    r"signed|funded)",
    r"(?:take|takes|taking|took)\s+(?:our|the\s+expansion|the)\s+(?:proposal|case|business\s+case)\s+to\s+"
    r"(?:the\s+|their\s+|her\s+|his\s+)?(?:board|cfo|ceo|cto|cio|coo|exec|leadership|committee|boss|management)",
    # with us, all the way: "cent percent with us", "100% with us", "fully with us"
    r"(?:\d+\s*%|(?:a\s+|one\s+|cent\s+)?hundred\s+percent|cent\s+percent|fully|completely|totally|firmly)\s+with\s+us",
    r"convinced(?=\s*(?:[,.;:!)]|$|\s+(?:by|of)\s+(?:us|our|the\s+(?:proposal|pitch|case|demo|value))\b))",
    r"sold(?=\s*(?:[,.;:!)]|$|\s+on\b))", r"pro(?=\s*(?:[,.;:!)]|$))",
    r"solid(?=\s*(?:[,.;:!)]|$|\s+as\s+(?:ever|always)|\s+supporter))",
    r"(?:wants?|wanted|plans?|planning|keen|happy)\s+to\s+(?:continue|stay|carry\s+on|keep\s+working)\s+with\s+us",
    # wanting more of us: "wants to expand to two more sites", "keen to renew early", "she'd recommend us"
    r"(?:wants?|wanted|keen|eager|looking|planning|plans?|hoping|hopes|ready|would\s+like|['’]d\s+like)\s+to\s+"
    r"(?:expand|extend|renew|upgrade|scale\s+up|roll\s+(?:it\s+|us\s+)?out|move\s+(?:forward|ahead)|go\s+ahead|proceed|"
    r"add\s+(?:more\s+)?(?:seats|licen[cs]es|users|sites|modules))\b(?!\s+(?:the\s+)?(?:meeting|call)\b)",
    r"recommend(?:s|ed|ing)?\s+us\b", r"(?:choose|pick|buy\s+from|go\s+with)\s+us\s+again",
    # ready to buy, in everyday words: "ready to sign", "bought into the vision", "a firm yes", "sees real value",
    # "gave the go-ahead", "confirmed they will renew", "called it a game changer", "she's in"
    r"ready\s+to\s+(?:sign|buy|commit|proceed|go\s+ahead|move\s+(?:forward|ahead))",
    r"(?:bought|buys|buying)\s+in(?:to)?\b", r"(?:a|an)\s+(?:firm\s+|clear\s+|definite\s+|enthusiastic\s+)?yes\b",
    r"sees?\s+(?:the\s+|real\s+|a\s+lot\s+of\s+|huge\s+|clear\s+|great\s+)?value\b",
    r"(?:gave|gives|giving)\s+(?:us\s+)?(?:the|a)\s+(?:go-?ahead|nod)",
    r"(?:confirmed|said|says)\s+(?:that\s+)?(?:they|she|he)(?:['’]ll|\s+will|['’]d|\s+would)\s+(?:renew|sign|go\s+ahead|"
    r"proceed|expand|extend)",
    r"(?:call(?:s|ed)?\s+(?:it|us|the\s+[\w-]+)\s+)?(?:a\s+(?:real\s+|total\s+)?)?game[\s-]?changer",
    r"(?:(?<=\bshe['’]s\s)|(?<=\bhe['’]s\s))in(?=\s*(?:[,.;:!)]|$))",
    # praise of what we did, reported: "said the pilot was a success", "said it was the best demo she has seen"
    r"(?:said|says|told\s+(?:me|us))\s+(?:that\s+)?(?:it|this|the\s+[\w-]+(?:\s+[\w-]+)?)\s+(?:was|is|has\s+been)\s+"
    r"(?:a\s+(?:big\s+|great\s+|huge\s+|real\s+)?success|the\s+best|excellent|brilliant|fantastic|amazing|superb|"
    r"(?:going|heading|moving)\s+in\s+the\s+right\s+direction|(?:back\s+)?on\s+(?:the\s+right\s+)?track)",
    r"on\s+board", r"pushing\s+(?:(?:hard|internally|strongly)\s+){0,2}for(?!\s+(?:a\s+|an\s+|more\s+|bigger\s+|"
    r"further\s+)?(?:\d+\s*%\s+)?(?:discount|price\s+cut|reduction|lower|better\s+(?:price|terms|rates?)|concessions?|"
    r"refund|credits?|penalt))", r"came\s+(?:round|around)",
    # liking it in everyday words: "she's really into the rollout", "lit up when we showed the alerts"
    r"(?:(?<=['’]s\s)|(?<=\bis\s)|(?<=\bwas\s)|(?<=['’]re\s)|(?<=\bare\s))(?:(?:really|so|totally|very\s+much|quite)\s+)?"
    r"into\s+(?:the|our|it|this|us)\b",
    r"lit\s+up(?!\s+(?:the|a|an|our|their)\b)",
    # praise of us, said: "we're the only vendor that actually listens", "that we're a strategic partner"
    r"(?:we['’]re|we\s+are)\s+(?:(?:his|her|their|the|a|an)\s+)(?:only|best|favou?rite|preferred|trusted|"
    r"strategic|most\s+important|number\s+one)\b",
    r"(?:great|good|positive|glowing|excellent)\s+feedback", r"strong\s+praise", r"will\s+defend",
    r"live\s+with\s+it", r"push(?:ed|es|ing)?\s+(?:hard\s+)?for\s+us",
    r"(?:gave|gives|giving)\s+(?:us\s+)?the\s+green\s+light",
    r"green-?lit", r"said\s+yes(?=\s*(?:[,.;:!)]|$|\s+to\b))",
    r"thumbs\s+up", r"can(?:no|['’])t\s+wait", r"in\s+our\s+corner", r"s(?:ing|ings|ang|inging)\s+our\s+praises",
    r"(?:defend(?:s|ed|ing)?|stand(?:s|ing)?\s+up\s+for|stood\s+up\s+for)\s+us",
    r"warm(?:s|ed|ing)?\s+up(?!\s+to)",
    # thanking us: "thanked us for the training", "she say thank you", "'thanks for the quick turnaround'"
    r"thank(?:s|ed|ing)?(?:\s+you)?(?=\s+(?:us|me|for)\b)", r"(?:say|says|said|saying)\s+thank(?:s|\s+you)",
    r"signed\s+(?:the|our)\s+(?:order\s+form|contract|po|sow|renewal|deal|agreement|quote|proposal)",
    # reporting a decision for us: "confirmed the budget line is approved", "says the order form is signed"
    r"(?:confirmed|said|says|told\s+(?:me|us))\s+(?:that\s+)?(?:[\w&'’-]+\s+){0,7}?(?:is|was|has\s+been|are|were|"
    r"have\s+been|got)\s+(?:now\s+|finally\s+)?(?:approved|signed|agreed)",
    # impatient to begin, reported: "asked when we can start phase 2", "wants to know how soon we could go live"
    r"(?:asked|asking|asks|wants?\s+to\s+know|wanted\s+to\s+know)\s+(?:us\s+|me\s+)?(?:when|how\s+soon)\s+"
    r"(?:we|you|they)\s+(?:can|could)\s+(?:start|begin|kick\s+(?:it\s+)?off|go\s+live|roll\s+(?:it\s+)?out)",
    # more of the same: "wants the same setup for the Madrid plant", "asked for the same at their second site"
    r"(?:wants?|wanted|would\s+like|['’]d\s+like|asked\s+for|asking\s+for)\s+(?:the\s+)?same\s+(?:[\w-]+\s+)?"
    r"(?:for|at|in)\b",
)
# Work done for the deal before anyone asked: "she'd already lined up a site walk", "had even pre-loaded their own
# data", "drafted the memo unprompted" (a departure or a competitor's deal is no such work: "already signed with X")
_PREPARED = (r"(?:lined|set|teed)\s+up|booked|scheduled|reserved|penc?ill?ed|budgeted|earmarked|allocated|drafted|"
             r"prepared|pre-?loaded|loaded|briefed|mapped|arranged|organi[sz]ed|circulated|socialised|socialized|"
             r"forwarded|pitched\s+us|walked\s+(?:it|the\s+\w+|our\s+\w+)\s+(?:past|through)|put\s+(?:it|us|this|"
             r"the\s+[\w-]+)\s+(?:in|into|on)|told\s+(?:his|her|their)\s+(?:team|people)|started\s+(?:on|cleaning|"
             r"preparing|building|gathering|pulling)")
_FOR = (*_FOR,
        r"(?:already|even)\s+(?:(?:gone\s+ahead\s+and|been\s+and)\s+)?(?:" + _PREPARED + r")\b(?![^.;!?\n]{0,40}\b(?:"
        r"competitor|incumbent|another\s+vendor|rival|elsewhere)\b)",
        r"(?:unprompted|without\s+(?:being\s+asked|us\s+asking|we\s+ask(?:ing)?|me\s+asking))",
        r"(?:went|go|goes|going)\s+in\s+to\s+bat\s+for\s+us", r"fight(?:ing)?\s+for\s+(?:this|it|us)\b",
        r"batting\s+for\s+us", *conduct.FOR,
        # praise in the buyer's words: "'exactly what the council needed'", "'paid for itself in one quarter'"
        r"exactly\s+what\s+(?:we|they|I|the\s+[\w-]+|our\s+[\w-]+)\s+(?:needed|wanted|were\s+after|"
        r"(?:were|was)\s+looking\s+for|asked\s+for|hoped\s+for)", r"paid\s+for\s+itself", r"first[\s-]class",
        r"best[\s-]in[\s-]class", r"a\s+(?:big|huge|real)\s+step\s+up",
        r"(?:asked|asking|asks)\s+(?:us\s+)?to\s+add\s+(?:the|a|an|another|more)\b",
        r"(?:has\s+|have\s+|had\s+)?come\s+(?:right\s+)?(?:round|around)", r"warm(?:ed|ing)?\s+to\s+us")
# Vouching for us, often said as a promise ("offered to be a reference"): a stance even inside the promise, where
# other mood words are the promise's. An introduction alone is not ("Susan will introduce us to the new VP Finance":
# an outsider's gold reads it 0).
_GOODWILL = (
    r"(?:be|act\s+as|serve\s+as)\s+(?:a|our)\s+reference",
    # giving us their own people or name: "volunteered his own team for the UAT", "put our name forward"
    r"volunteer(?:s|ed|ing)?", r"put(?:s|ting)?\s+(?:our\s+name|us)\s+forward",
    r"put\s+in\s+a\s+good\s+word",
    # offering their own work: "offered to host the workshop at their site"
    r"(?<!sort\sof\s)(?<!kind\sof\s)(?<!kinda\s)offer(?:s|ed|ing)?\s+to(?=\s+(?!(?:walk|show)\s+(?:us|me)\s+out\b))",
    r"(?:make|makes|making|made)\s+the\s+case\s+for\s+us",
)
_AGAINST = (
    r"against(?!\s+(?:what|the|our|last|a|an|their|its|budget|plan|target|\d))",
    # "blocked budget for phase two", "blocked the dates": set aside for us, not against
    r"block(?:s|ed|ing)?(?!\s+(?:out|off)\b)(?!\s+(?:the\s+|some\s+|a\s+)?(?:budget|funds?|slots?|dates?|time|"
    r"calendars?|diar(?:y|ies)|seats?)\b)",
    r"(?:keeps?\s+|kept\s+)?stall(?:s|ed|ing)?", r"postpon(?:e|es|ed|ing)", r"(?:keeps?\s+|kept\s+)?delaying",
    r"(?:keeps?\s+|kept\s+)?pushing\s+us\s+off", r"put(?:s|ting)?\s+us\s+off", r"(?:many|some|serious|real)\s+doubts",
    r"doubts\s+about",
    r"won['’]?t\s+commit", r"will\s+not\s+commit", r"not\s+(?:going|willing)\s+to\s+"
    r"(?:commit|push|sign|move)", r"leaning\s+(?:towards?|to)(?=\s+[A-Z])", r"the\s+(?:tough|difficult|hard)\s+one",
    r"roll(?:s|ed|ing)?\s+(?:her|his|their)\s+eyes", r"los(?:e|es|ing|t)\s+(?:(?:all|her|his|their|any)\s+)?"
    r"(?:faith|trust|patience|confidence|interest)\b", r"(?:gave|give|gives|giving)\s+us\s+a\s+(?:hard|tough)\s+time",
    # dropping us: "would rather rip us out than pay", "wants to replace us", "threatened to ditch us"
    r"(?:replac(?:e|es|ed|ing)|drop(?:s|ped|ping)?|dump(?:s|ed|ing)?|ditch(?:es|ed|ing)?)\s+us\b",
    r"(?:rip|kick|throw)(?:s|ped|ping|ed|ing|ing)?\s+us\s+out", r"get(?:s|ting)?\s+rid\s+of\s+us",
    r"doubt(?:s|ed|ing)?\s+(?:the|our|that|whether|if)\b", r"ha(?:d|s|ve)\s+a\s+go\s+at\s+us",
    r"in\s+(?:(?:a\s+bit|something|a\s+little)\s+of\s+)?a\s+(?:real\s+)?mood(?!\s+(?:to|for)\b)",  # sulky
    # the everyday idioms of refusing or losing patience: "spat the dummy", "wasn't having a bar of it", "knocked back
    # the workshop", "done sticking his neck out for us", "threw shade at our roadmap"
    r"sp[ai]t\s+the\s+dummy", r"(?:chuck(?:ed)?|thr(?:e|o)w)\s+a\s+wobbly",
    r"(?:wasn['’]?t|isn['’]?t|not|weren['’]?t)\s+having\s+(?:a\s+bar\s+of\s+)?it",
    r"knock(?:s|ed|ing)?\s+(?:back|us\s+back)", r"turn(?:s|ed|ing)?\s+(?:us|it)\s+down",
    r"done\s+(?:sticking\s+(?:his|her|their)\s+necks?\s+out|(?:with|w/?)\s+us)",
    r"thr(?:e|o)w(?:s|n|ing)?\s+shade", r"side-?eye", r"gone\s+cold\s+on\s+(?:us|it|the)",
    r"gone\s+the\s+other\s+way",
    # a buyer's own refusal, said in the meeting: "I can't take that to the board", "we're done talking", "that is
    # not what we bought"
    r"can(?:no|['’])t\s+take\s+(?:that|this|it)\s+to\s+(?:the|my|our)\s+(?:board|boss|cfo|ceo|exec\w*|committee)",
    r"(?:we['’]re|we\s+are|I['’]m|I\s+am)\s+done\s+(?:talking|here)",
    r"not\s+what\s+we\s+(?:bought|signed\s+up\s+for|paid\s+for|were\s+(?:promised|sold))",
    # mockery at our expense: "made a pointed joke about our invoices", "took a swipe at us"
    r"jok(?:e|es|ed|ing)\s+about\s+(?:us|our)\b", r"(?:dig|jab|swipe|sneer|pointed\s+(?:remark|comment))s?\s+"
    r"(?:at|about)\s+(?:us|our)\b",
    # a threat said as an intention: "he will recommend to stop the contract", "she's going to look at other vendors"
    r"(?:will|['’]ll|wants?\s+to|going\s+to|plans?\s+to|considering|thinking\s+(?:about|of))\s+(?:[a-z]+\s+){0,2}?"
    r"(?!review\b)(?:" + THREAT.pattern + r")",
    r"blocker", r"frosty", r"challeng(?:ed|es|ing)\s+(?:the|our|us|every|all|each)\b",
    r"disput(?:ed|es|ing)\s+(?:our|us|every|all|each)\b",  # "disputed the invoice" is business
    r"(?:keen|eager|in\s+a\s+hurry|rushing)\s+to\s+(?:end|leave|wrap\s+(?:it\s+)?up|get\s+off|"
    r"finish)\b", r"not\s+budging", r"won['’]?t\s+budge", r"refus(?:es|ed|ing)\s+to\s+budge",
    # trust in us gone: "says trust in us is low", "confidence in our team has eroded"
    r"(?:(?:says|said|told\s+(?:me|us))\s+(?:that\s+)?)?(?:trust|confidence|faith)\s+in\s+(?:us|our\s+\w+)\s+(?:is|was|has|had)\s+(?:\w+\s+)?(?:low|gone|shot|"
    r"damaged|eroded|broken|lost|fading|dropping)", r"stonewall(?:s|ed|ing)?", r"threat(?:en|ens|ened|ening)\s+to",
    r"not\s+renewing", r"going\s+with(?=\s+[A-Z])",
    r"said\s+no(?=\s*(?:[,.;:!)]|$|\s+to\b|\s+for\s+now\b))", r"thumbs\s+down",
    r"reject(?:s|ed|ing)?", r"turn(?:s|ed|ing)?\s+(?:us\s+)?down", r"drag(?:s|ged|ging)\s+(?:her|his|their)\s+feet",
    # the status quo or a competitor over us: "wants to keep the in-house scheduler", "evaluating Opticore"
    r"(?:wants?|wanted|prefers?|preferred)\s+to\s+(?:keep|stick\s+with|stay\s+with)\s+(?:the|their|his|her)\s+"
    r"(?:in-house|current|existing|old|own|incumbent)",
    r"(?:evaluating|considering|looking\s+at|trialling|trialing)\s+[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)?\s+as\s+an?\s+"
    r"(?:alternative|replacement)",
    # reporting a refusal: "said procurement will not approve the pricing as proposed"
    r"(?:said|says|told\s+(?:me|us))\s+(?:that\s+)?(?:[\w&'’-]+\s+){0,4}?(?:will\s+not|won['’]?t|can['’]?t|cannot|"
    r"refuses?\s+to|would\s+not|wouldn['’]?t)\s+(?:approve|sign|accept|agree)",
    # elsewhere in the room: "kept checking her phone", "was on his laptop the whole call"
    r"(?:kept|keeps|was|were|is)\s+(?:checking|on)\s+(?:her|his|their)\s+(?:phone|laptop|emails?)",
    *conduct.AGAINST,
    # a refusal or a tender, in the buyer's words: "'we cannot extend the framework'", "'not acceptable'"
    r"(?:we|I)\s+(?:can(?:no|['’])t|will\s+not|won['’]?t|are\s+not\s+going\s+to)\s+(?:extend|renew|approve|sign|"
    r"accept|continue|proceed|pay|recommend)\b", r"(?:would|will)\s+not\s+recommend\s+us",
    r"not\s+(?:acceptable|good\s+enough|workable|competitive|viable)", r"unacceptable",
    r"announced\s+(?:a\s+)?(?:re-?)?tender", r"not\s+assume\s+(?:a\s+)?renewal",
)
# A stance starts at a word's start, or at the "'ll" of "she'll look at other vendors".
STANCE_RE = re.compile(r"(?:(?<!\w)|(?=['’]ll\s))(?:(?P<for>(?P<goodwill>" + "|".join(_GOODWILL) + r")|"
                       + "|".join(_FOR) + r")|(?P<against>" + "|".join(_AGAINST) + r"))(?![\w-])", re.IGNORECASE)
# What may stand between a subject and its stance: auxiliaries, adverbs, determiners, bracketed asides, symbols.
_GAP_WORDS = (
    r"is|was|are|were|be|been|being|am|['’]?s|['’]re|seems?|seemed|looks?|looked|sounds?|sounded|to|has|have|had|"
    r"having|less|more|much|far|"  # "was having some doubts", "was rather less taken with it"
    r"got|gets|now|still|also|again|clearly|really|very|quite|fully|strongly|finally|always|just|totally|pretty|"
    r"fairly|somewhat|a\s+bit|kind\s+of|sort\s+of|in\s+the\s+end|eventually|ultimately|as\s+ever|as\s+always|"
    r"our|a|an|the|their|his|her|my|then|so|and|but|yet|though|honestly|frankly|definitely|obviously|actually|"
    r"basically|already|rather|sooner|i\s+think|both|all|each|will|would|can|could|should|might|may|['’]ll|['’]d|not|never|"
    r"no\s+longer|[a-z]+n['’]t|[a-z]+ly"
)
_GAP = re.compile(r"^(?:[^\w(]+|\([^()]*\)|(?:" + _GAP_WORDS + r")\b)*$", re.IGNORECASE)
# A second verb of the same subject: "Priya presented the results and is clearly pushing for the rollout".
_AND = re.compile(r"^[^.;:!?]*?\band\s+(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_JOINED = re.compile(r"^\s*(?:,\s*|\s+and\s+|\s*[&+/]\s*)$")
_TOGETHER = re.compile(r"\W*(both|all|everyone|everybody)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?P<pronoun>she|he)\b", re.IGNORECASE)
_VERB_CHAIN = re.compile(r"\s+(?!['’]s\b)(?:(?!\b(?:I|we|they|he|she|it|you|that|who|which|because|if|when|why|"
                         r"whether|how|what|is|was|are|were|be|been|said|says|say|told|asked|thinks?|thought)\b)"
                         r"[^,;:.!?()'\"‘’“”])"
                         r"{1,40}", re.IGNORECASE)
_OPENING_PRONOUN = re.compile(r"[^\w]*(?:(?:and|but|so|then)\s+)?(?P<pronoun>she|he)\b", re.IGNORECASE)
_SAID = re.compile(r"\s+(?:\w+\s+)?(?:said|says|say|told\s+\w+|tells\s+\w+)(?:\s+[^,;:.!?'\"]{0,40}?)?\s+(?:that\s+)?",
                   re.IGNORECASE)  # "said in front of her whole team that": reported speech up to its clause
_ARROW_AFTER = re.compile(r"[^\w\n]*(?:->|→|➡️?|>>)\s*")  # a name, then an arrow to what they did
# only bullets, symbols or a form's field label before the name heading a sentence ("Contact: Hugo - warming up")
_HEAD = re.compile(r"^[^\w]*(?:(?:contacts?|attendees?|customer|stakeholders?|person|who|with)\s*:\s*)?$",
                   re.IGNORECASE)
# a name as a label: "Ian: ...", "Ian -> ...", "George - agreed to fund the second phase"
_LABEL = re.compile(r"^\s*(?:\([^()]*\))?\s*(?::|=|->|→|>>|[-–—])\s*$")

_WRITER = re.compile(r"^\W*(?:(?:and|but|so|then|also)\s+)?(?:I|we|our\s+team)\b", re.IGNORECASE)


def stance_value(match: re.Match[str]) -> int:
    """+1 for a stance for us, -1 against."""
    return 1 if match.group("for") else -1


def goodwill(match: re.Match[str]) -> bool:
    """Whether a stance is vouching for us (a reference, a good word), which a promise of it does not hide."""
    return match.group("goodwill") is not None


def subject(text: str, scan: PeopleScan, sentence: Piece, clause: Piece, start: int) -> list[Mention]:
    """The person whose stance the words at ``start`` are: the subject of their clause (see the module's doc)."""
    lead_start = clause.start
    candidates: list[tuple[int, int, Mention | None, str | None]] = [
        (m.start, m.end, m, None) for m in scan.at(lead_start, start) if m.end <= start and not m.ambiguous]
    candidates += [(p.start(), p.end(), None, p.group("pronoun")) for p in _PRONOUN.finditer(text, lead_start, start)]
    for begin, end, mention, pronoun in sorted(candidates, key=lambda c: -c[0]):
        gap = text[end:start]
        joined = _AND.match(gap)
        said_of_us = mention is not None and _SAID.fullmatch(gap) and re.match(r"we\b", text[start : start + 3], re.I)
        if not (_GAP.match(gap) or (joined and _GAP.match(joined.group("rest"))) or said_of_us):
            continue  # "Beatriz said in front of her team that we're a strategic partner": her view of us
        if mention is not None:  # with anyone joined to them: "Dana and Tom both ok with the plan"
            group = [mention]
            for m in reversed([x for x in scan.at(lead_start, begin) if x.end <= begin and not x.ambiguous]):
                if not _JOINED.match(text[m.end : group[-1].start]):
                    break
                group.append(m)
            return group
        found = scan.before(begin, pronoun)
        return [found] if found is not None and not found.ambiguous else []
    opener = _opener(text, scan, clause, start)
    if opener is not None:  # "Ian opened by thanking us": the person who opens the clause, through one verb chain
        return [opener]
    if not _GAP.match(text[lead_start:start]) or _WRITER.match(text, lead_start):
        return []
    together = _TOGETHER.match(text, lead_start)
    if together:  # "Met Dana and Tom, both in favour": everyone named before in the sentence
        named = list({m.key: m for m in scan.at(sentence.start, clause.start) if not m.ambiguous}.values())
        return named[-2:] if together.group(1).lower() == "both" else named
    heads = [m for m in scan.at(sentence.start, clause.start) if _HEAD.match(text[sentence.start : m.start])]
    if heads and not heads[0].ambiguous:  # "Isaac: ok with the renewal"
        return [heads[0]]
    labelled = [m for m in scan.at(sentence.start, clause.start) if _LABEL.match(text[m.end : clause.start])]
    if labelled and not labelled[-1].ambiguous:  # "... -> Ian: pro, wants a 2nd site"
        return [labelled[-1]]
    arrowed = [m for m in scan.at(max(0, sentence.start - 60), sentence.start)
               if _ARROW_AFTER.fullmatch(text, m.end, sentence.start)]
    if clause.start == sentence.start and arrowed and not arrowed[-1].ambiguous:  # "kevin mason → signed off"
        return [arrowed[-1]]
    previous = [c for c in clauses(sentence) if c.end <= clause.start]
    # after a comma or a contrast, a clause with no subject keeps the pronoun subject of the one before
    listed = previous and re.fullmatch(r"\s*,?\s*(?:(?:but|yet|and)\s*)?", text[previous[-1].end : clause.start])
    opening = _OPENING_PRONOUN.match(text, previous[-1].start, clause.start) if listed else None
    if opening is not None:  # "he's still treating it as price-only, not budging": the subject carries over
        found = scan.before(previous[-1].start, opening.group("pronoun"))
        return [found] if found is not None and not found.ambiguous else []
    if clause.start == sentence.start and not scan.at(sentence.start, sentence.end):
        found = scan.before(sentence.start)  # "Named X. Strongly in favour."
        return [found] if found is not None and not found.ambiguous else []
    return []


def _opener(text: str, scan: PeopleScan, clause: Piece, start: int) -> Mention | None:
    """The person opening ``clause`` when the words up to ``start`` are their own verb chain ("Ian opened by thanking
    us", "Hassan then stood up and defended us"): no other person, no new subject ("he", "we", "the budget was"),
    no possessive ("Tom's team blocked ...") and no reported clause ("said that", "asked why") between."""
    named = [m for m in scan.at(clause.start, start) if m.end <= start]
    she = _OPENING_PRONOUN.match(text, clause.start, start)
    if she is not None and not named:  # "he flat out said he will not approve": the last person he can be
        found = scan.before(clause.start, she.group("pronoun"))
        ok = found is not None and not found.ambiguous and _VERB_CHAIN.fullmatch(text, she.end(), start)
        return found if ok else None
    if not named or named[0].ambiguous or not _HEAD.match(text[clause.start : named[0].start]):
        return None
    if any(m.key != named[0].key for m in named):
        return None
    return named[0] if _VERB_CHAIN.fullmatch(text, named[-1].end, start) else None

