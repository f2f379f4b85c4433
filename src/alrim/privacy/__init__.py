"""Privacy: field encryption, consent, data export, erasure, retention, log masking, audit."""
