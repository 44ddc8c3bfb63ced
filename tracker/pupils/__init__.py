"""The pupil register, children on cases, a child's chronology and repetition signals."""
