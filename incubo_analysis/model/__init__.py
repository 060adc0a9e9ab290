"""Stage 2, the model: scenario parameters, the vectorised savings model, appraisal and uncertainty (imports ``contract``)."""
