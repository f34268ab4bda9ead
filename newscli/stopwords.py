"""Words too common to say what a query is about (English function words).

Best-match ranking leaves them out of a query's plain words: they cost time and, measured
on the Cranfield judgements (bench/eval_ir.py), add nothing. They still count when quoted,
required with +word or AND, and when a query has nothing else.
"""

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can cannot could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself let me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also may might must shall upon whether within without""".split()
)

# For `related`: also the words of any news story, which say nothing about which one it is.
STORY_WORDS = STOPWORDS | frozenset(
    "just much said says since year years first last like make made many people time".split()
)
