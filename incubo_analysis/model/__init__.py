"""Stage 2, the model: scenario parameters, savings model, appraisal, uncertainty (imports ``contract``)."""
