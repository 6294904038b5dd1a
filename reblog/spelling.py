"""Which known word a misspelt one was meant to be: metadata keys, credit fields."""


def closest(name, candidates):
    """The one of `candidates` that `name` is most likely a misspelling of, or None.

    Case-insensitive; one edit (an insertion, deletion, substitution or a swap of two
    neighbours) for short keys, two for keys of six letters or more.
    """
    name = name.lower()
    limit = 2 if len(name) >= 6 else 1
    best = None
    for known in candidates:
        distance = edit_distance(name, known)
        if 0 < distance <= limit and (best is None or distance < best[0]):
            best = (distance, known)
    return best[1] if best else None


def edit_distance(first, second):
    """Optimal string alignment distance (Levenshtein with adjacent transpositions)."""
    previous2, previous = None, list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        current = [i]
        for j, b in enumerate(second, 1):
            cost = current[j - 1] + 1, previous[j] + 1, previous[j - 1] + (a != b)
            value = min(cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        previous2, previous = previous, current
    return previous[-1]
