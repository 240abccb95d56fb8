"""What every format draws alike: a fill colour per element class."""

#: Fill colour per element class: the classes a reader tells apart at a glance.
COLOURS = {
    "Journey": "#fde68a",
    "Touchpoint": "#bfdbfe",
    "Step": "#dbeafe",
    "BackofficeProcess": "#bbf7d0",
    "ITSystem": "#e9d5ff",
    "Role": "#fbcfe8",
    "ContactReason": "#fed7aa",
    "Phase": "#fef3c7",
    "LifecycleStage": "#fef9c3",
    "KPI": "#c7d2fe",
    "KPIType": "#e0e7ff",
    "Owner": "#fecaca",
    "Channel": "#ccfbf1",
    "Concept": "#f1f5f9",
}
#: Classes without a colour of their own.
DEFAULT_COLOUR = "#f8fafc"
