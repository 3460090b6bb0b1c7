"""Stop strings over streamed text: the Python reference of the SDKs' ``StopStringMatcher``.

Text arrives in pieces (one per generated token, from the streaming decoder). A piece is emitted
only once no stop string can begin inside it: the longest end of the pending text that is a proper
prefix of some stop string is held back. When a stop string occurs, the text before its earliest
occurrence is emitted and generation stops. Positions are counted in Unicode code points; strings
are compared exactly (no normalisation). Empty stop strings are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence


class StopStringMatcher:
    def __init__(self, stop_strings: Sequence[str]) -> None:
        self.stop_strings = tuple(s for s in stop_strings if s)
        self.pending = ""
        self.stopped = False

    def push(self, piece: str) -> str:
        """The text that can be shown after ``piece`` arrived ("" after a stop)."""
        if self.stopped:
            return ""
        self.pending += piece
        hits = [index for s in self.stop_strings if (index := self.pending.find(s)) >= 0]
        if hits:
            emitted = self.pending[:min(hits)]
            self.pending = ""
            self.stopped = True
            return emitted
        hold = 0
        for stop in self.stop_strings:
            for length in range(min(len(stop) - 1, len(self.pending)), hold, -1):
                if self.pending.endswith(stop[:length]):
                    hold = length
                    break
        emitted = self.pending[:len(self.pending) - hold]
        self.pending = self.pending[len(self.pending) - hold:]
        return emitted

    def finish(self) -> str:
        """The held-back text when generation ends without a stop string."""
        emitted = "" if self.stopped else self.pending
        self.pending = ""
        return emitted
