"""LINE's documented message limits, in one place: the builders cut to them and the contract checker tests them.

Limits the OpenAPI spec encodes (5 messages, 13 quick-reply items, 500 multicast ids, postback data 300) are also
checked by the schema; the rest are prose in LINE's docs. Lengths are counted in UTF-16 code units, as LINE counts
message text (an emoji is 2; a Thai letter is 1).
"""

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_ALT_TEXT = 1500
MAX_QUICK_REPLY_ITEMS = 13
MAX_QUICK_REPLY_LABEL = 20
MAX_FLEX_LABEL = 40
MAX_TEMPLATE_LABEL = 20
MAX_IMAGE_CAROUSEL_LABEL = 12
MAX_CAROUSEL_BUBBLES = 12
# LINE says "30 KB" and "50 KB" without saying which kilobyte; the decimal reading is the safe one.
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
