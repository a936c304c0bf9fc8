public enum CDRAnalysisPlaceholder {}
