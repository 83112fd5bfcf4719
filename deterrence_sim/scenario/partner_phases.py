"""Partner-side world coefficients: aid delivery, force building, governance, own effort."""

from __future__ import annotations

from .fields import ScenarioBase, param


class AidDelivery(ScenarioBase):
    """How much aid reaches the partner: leakage, audits, absorption (docs/design.md §5.1–§5.2)."""

    leakage_base: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Leakage l0 at zero governance, zero alignment and no audits.",
        source="SIGAR 2021: large shares of reconstruction aid unaccounted for in Afghanistan.",
    )
    audit_sensitivity: float = param(
        2.0,
        0,
        10,
        unit="-",
        meaning="theta: how fast audits cut leakage, l ∝ exp(-theta·audit).",
        source="Olken 2007: audits cut missing expenditures by about a third.",
    )
    leakage_erosion: float = param(
        0.05,
        0,
        1,
        unit="G per leaked share",
        meaning="Governance eroded each year per unit of the leaked share of aid (diversion corrupts institutions).",
        source="Knack 2001: aid dependence erodes governance quality.",
    )
    absorption_saturation: float = param(
        1.0,
        0.1,
        10,
        unit="-",
        meaning="Scale of saturation in u = (1-l)·a/(1 + a/(capacity·saturation)).",
        source="Clemens et al. 2012: diminishing returns to aid; RAND Paul et al. 2013.",
    )
    scandal_leakage: float = param(
        0.15,
        0,
        1,
        unit="share",
        meaning="Leakage share above which an audit find is a scandal (and counts as heavy leakage for backsliding).",
        source="Assumption; SIGAR 2021 reports diversion on this order in its worst findings.",
    )
    audit_memory: float = param(
        0.7,
        0,
        1,
        unit="-",
        meaning="Weight of past findings in the leakage share audits have found (exponential smoothing).",
        source="Assumption.",
    )
    front_load_years: int = param(
        3,
        0,
        20,
        unit="years",
        meaning="Program years a front-loaded pacing surges.",
        source="Assumption (Powell 2006 on windows of danger).",
    )
    front_load_factor: float = param(
        1.5,
        1,
        5,
        unit="multiplier",
        meaning="Aid multiplier of the front-loaded years.",
        source="Assumption.",
    )
    nominal_program_years: int = param(
        20,
        1,
        100,
        unit="years",
        meaning="Length a program without a sunset is taken to have, for sequencing.",
        source="Assumption (two decades of US assistance to Afghanistan and Iraq).",
    )
    review_performance_floor: float = param(
        0.25,
        0,
        5,
        unit="-",
        meaning="Budget weight a program keeps at zero performance in a review (weight = stake·(1+threat)·(this + performance)).",
        source="Assumption.",
    )
    surge_headroom: float = param(
        1.0,
        0,
        10,
        unit="share of budget",
        meaning="Extra aid a donor can find for surges in a year, as a share of its annual budget.",
        source="Assumption (supplemental appropriations; CSIS 2023 on industrial limits).",
    )
    backsliding_window: int = param(
        3,
        1,
        20,
        unit="years",
        meaning="Years over which a donor measures a partner's fall in governance (since its last finding, if more recent).",
        source="V-Dem autocratisation episodes are declines sustained over several years (Lührmann & Lindberg 2019); three years is one budget cycle.",
    )
    backsliding_sigmas: float = param(
        3.0,
        0,
        10,
        unit="sd",
        meaning="A fall in governance counts as backsliding when it exceeds this many standard deviations of the governance noise over the window (sigmas · governance_noise · sqrt(window)).",
        source="A 3-sd one-sided test: false alarms 0.13% of checks; at the default noise 0.052 over 3 years, half the 0.10 fall that marks an autocratisation episode (Lührmann & Lindberg 2019). A 0.02 one-year drop (the old trigger) is 2 sd: europe logged 1.4 suspensions a run against stable democracies.",
    )
    backsliding_strikes: int = param(
        3,
        1,
        20,
        unit="count",
        meaning="Backsliding findings after which a donor with backsliding_response 'cut' ends the program.",
        source="Assumption.",
    )
    renegotiation_softening: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Factor applied to conditionality and audit intensity when a donor returns after a rejection.",
        source="Assumption.",
    )


class ForceBuilding(ScenarioBase):
    """How absorbed aid becomes capability: training, equipment, upkeep (docs/design.md §5.2)."""

    training_rate: float = param(
        0.35,
        0,
        5,
        unit="H per absorbed $ / own defence $",
        meaning="Human capital gained per unit of absorbed training aid relative to the partner's own defence budget (times 0.5+0.5G and 1-H).",
        source="Governance gating of training (x 0.5+0.5G): RAND Paul et al. 2013; McNerney et al. 2014 (validation B3: the aid effect at G=0.8 is 1.7x that at G=0.2).",
    )
    skill_attrition: float = param(
        0.06,
        0,
        1,
        unit="1/yr",
        meaning="Yearly loss of trained human capital (turnover, desertion).",
        source="SIGAR 2017: ANDSF attrition ~2–3%/month at worst; 6%/yr for a stable force.",
    )
    skill_bonus: float = param(
        1.0,
        0,
        5,
        unit="-",
        meaning="Capability multiplier 1 + skill_bonus·H from trained personnel.",
        source="Biddle 2004: force employment and skill matter as much as materiel.",
    )
    equipment_depreciation: float = param(
        0.04,
        0,
        1,
        unit="1/yr",
        meaning="Yearly depreciation of the equipment stock.",
        source="Straight-line over a 25-year service life of major systems (20–30 years: US GAO weapon-system sustainment reviews; CBO 2021).",
    )
    upkeep_rate: float = param(
        0.15,
        0,
        1,
        unit="$bn/yr per point",
        meaning="Yearly sustainment cost per unit of equipment (before the skill discount).",
        source="Sustainment is 60–70% of a major system's life-cycle cost (US GAO): s/(1-s)/L = 0.65/0.35/25 = 0.074 $ a year per $ of acquisition value (mechanisms.sustainment_rate); a point of equipment costs 1/own_procurement_efficiency = 2 $, so 0.15 $ a point (CBO 2021: O&M 10–20% of acquisition value a year).",
    )
    upkeep_skill_discount: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Share of upkeep saved by fully trained personnel: need = rate·E·(1 - discount·H).",
        source="Assumption: trained maintainers cut sustainment costs (Karlin 2018).",
    )
    donor_sustainment_share: float = param(
        0.5,
        0,
        1,
        unit="share",
        meaning="Share of absorbed equipment aid spent on sustaining the stock (spares, contractors) rather than new equipment.",
        source="SIGAR 2022/23: contractor maintenance of Afghan aircraft.",
    )
    own_upkeep_share: float = param(
        0.3,
        0,
        1,
        unit="share",
        meaning="Share of a partner's own defence budget for operations and maintenance (upkeep); what upkeep leaves unspent buys equipment.",
        source="NATO members 2019: personnel about half of spending, equipment about a quarter, operations, maintenance and infrastructure the rest (NATO, Defence Expenditure of NATO Countries 2014–2019); US DoD operations and maintenance ≈ 35–40% of its budget, which includes civilian pay, bases and health care. 0.3 between the two.",
    )
    own_procurement_share: float = param(
        0.25,
        0,
        1,
        unit="share",
        meaning="Share of a partner's own defence budget for new equipment; the rest (personnel, infrastructure) buys no equipment.",
        source="NATO guideline: at least 20% of defence spending on major equipment; most members spent 20–30% in 2019 (NATO, Defence Expenditure of NATO Countries 2014–2019).",
    )
    own_training_share: float = param(
        0.1,
        0,
        1,
        unit="share",
        meaning="Share of a partner's own defence budget that trains its forces (adds to training aid in the human-capital update).",
        source="Calibration: at governance 0.6 the human capital a partner keeps on its own training alone (mechanisms.sustainable_human_capital) is 0.3, the default initial human capital, so H neither collapses nor grows without aid; about a tenth of a budget, the order of individual and collective training in O&M.",
    )
    own_procurement_efficiency: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Equipment (points) gained per $ of own procurement spending.",
        source="Assumption: partners buy less efficiently than donor programs.",
    )
    intelligence_decay: float = param(
        0.3,
        0,
        1,
        unit="1/yr",
        meaning="Yearly decay of early-warning capacity from intelligence sharing.",
        source="Assumption: intelligence value is perishable.",
    )
    intelligence_rate: float = param(
        0.5,
        0,
        5,
        unit="w per absorbed $ / own defence $",
        meaning="Early-warning capacity gained per unit of absorbed intelligence aid, times governance.",
        source="Assumption; crisis response improves with shared warning (Byman 2006).",
    )
    crisis_bonus: float = param(
        0.3,
        0,
        2,
        unit="-",
        meaning="Capability multiplier 1 + crisis_bonus·w from early warning.",
        source="Assumption.",
    )
    training_governance_floor: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Training effect at zero governance relative to perfect governance.",
        source="Assumption (Paul et al. 2013: governance conditions training's effect).",
    )
    interoperability_decay_with_aid: float = param(
        0.2,
        0,
        1,
        unit="-",
        meaning="Interoperability decay in a year with aid, relative to a year without.",
        source="Assumption (joint exercises slow the loss).",
    )


class Governance(ScenarioBase):
    """Governance, reform and the enforcement of conditions (docs/design.md §5.1–§5.2)."""

    governance_rate: float = param(
        0.15,
        0,
        2,
        unit="G per absorbed $ / 1% of GDP",
        meaning="Governance gained per unit of absorbed governance aid relative to 1% of GDP, when the partner makes the reform effort (times 1-G).",
        source="Calibrated to RAND McNerney et al. 2014 (governance gains are slow).",
    )
    reform_effort_gain: float = param(
        0.02,
        0,
        0.5,
        unit="G/yr",
        meaning="Governance a complying partner gains from its own reform effort each year (times 1-G).",
        source="Assumption.",
    )
    governance_reversion: float = param(
        0.15,
        0,
        1,
        unit="1/yr",
        meaning="Yearly pull of governance back toward its baseline (share of the gap).",
        source="Andrews, Pritchett & Woolcock 2017: reforms as isomorphic mimicry revert.",
    )
    governance_noise: float = param(
        0.01,
        0,
        0.2,
        unit="G",
        meaning="Standard deviation of yearly governance shocks (halved by stabilization aid).",
        source="V-Dem polyarchy year-on-year changes: median |Δ| ≈ 0.01.",
    )
    reform_threshold: float = param(
        0.05,
        0,
        0.5,
        unit="G",
        meaning="How far above baseline governance must stay to count as reform holding.",
        source="Assumption.",
    )
    institutionalisation_years: int = param(
        5,
        1,
        30,
        unit="years",
        meaning="Consecutive years a reform must hold before it becomes the new baseline.",
        source="North 1990; Huntington 1968 on institutionalisation; assumption for the number.",
    )
    reform_cost: float = param(
        0.6,
        0,
        5,
        unit="share of aid",
        meaning="Political cost of reform at zero governance and alignment, relative to aid at stake.",
        source="Assumption; elite resistance (Ladwig 2017).",
    )
    reform_sharpness: float = param(
        8.0,
        0.1,
        100,
        unit="-",
        meaning="Sharpness of the partner's comply/shirk logistic choice.",
        source="Assumption (quantal response).",
    )
    governance_aid_benefit: float = param(
        0.3,
        0,
        5,
        unit="-",
        meaning="Direct benefit a partner sees in governance aid (per unit share of the mix).",
        source="Assumption.",
    )
    rejection_threshold: float = param(
        0.2,
        0,
        1,
        unit="-",
        meaning="A partner rejects a program when sovereignty sensitivity × intrusiveness exceeds this.",
        source="Assumption, set so that tough but realistic terms can be refused: a sovereignty-sensitive partner (0.5–0.6) rejects a program with 60% of aid conditional and audits (intrusiveness ≈ 0.5), as Pakistan's army objected to the Kerry–Lugar–Berman conditions in 2009; no preset rejects its default terms (at 0.35 no rejection was possible at any preset's terms, issue 18). Sovereignty costs: Ladwig 2017.",
    )
    enforcement_stake_discount: float = param(
        0.5,
        0,
        2,
        unit="-",
        meaning="eps1: how much a donor's stake × threat lowers its enforcement.",
        source="Samaritan's dilemma: Buchanan 1975; Gibson et al. 2005.",
    )
    enforcement_pooling_bonus: float = param(
        0.15,
        0,
        1,
        unit="-",
        meaning="eps2: enforcement gained when aid is pooled through an alliance.",
        source="Multilateral conditionality is more credible (Ladwig 2017; Milner 2006).",
    )
    enforcement_prior: float = param(
        0.3,
        0,
        1,
        unit="probability",
        meaning="Partner's prior belief that a missed benchmark is punished.",
        source="Partners start sceptical: conditions on security assistance were rarely enforced (Ladwig 2017). With 0.5, unenforced conditions bought a quarter of the enforced governance gain before partners learned (validation F2b).",
    )
    enforcement_prior_weight: float = param(
        2.0,
        0.1,
        100,
        unit="observations",
        meaning="Weight of that prior in pseudo-observations (Beta prior).",
        source="Weak prior: partners learn within a few years.",
    )
    intrusiveness_conditionality_weight: float = param(
        0.6,
        0,
        1,
        unit="-",
        meaning="Weight of conditionality in a program's intrusiveness (audits get 1 minus this).",
        source="Assumption: conditions on policy are felt more than audits of spending (Ladwig 2017).",
    )
    reform_sovereignty_cost: float = param(
        0.5,
        0,
        2,
        unit="-",
        meaning="Weight of intrusiveness × sovereignty sensitivity in the partner's cost of reform.",
        source="Assumption (sovereignty costs of conditions: Ladwig 2017).",
    )
    reform_leverage_half: float = param(
        0.001,
        0,
        1,
        unit="share of GDP",
        meaning="Aid (as a share of the partner's GDP) at which a donor has half its full leverage over reform; leverage = A/(A + this·Y).",
        source="Assumption: leverage grows with what is at stake for the partner (Biddle, Macdonald & Baker 2018).",
    )
    rejection_alignment_loss: float = param(
        0.2,
        0,
        1,
        unit="-",
        meaning="Alignment a partner loses when it rejects a program as too intrusive.",
        source="Assumption.",
    )
    governance_aid_scale: float = param(
        0.01,
        0.0001,
        1,
        unit="share of GDP",
        meaning="Governance aid acts relative to this share of the partner's GDP.",
        source="Assumption (McNerney et al. 2014: governance gains are slow).",
    )
    stabilization_calm: float = param(
        0.5,
        0,
        1,
        unit="-",
        meaning="Largest cut in governance noise that absorbed stabilization aid buys.",
        source="Assumption (Berman, Shapiro & Felter 2011).",
    )


class PartnerSpending(ScenarioBase):
    """The partner's own defence effort and interoperability (docs/design.md §5.2)."""

    insecurity_response: float = param(
        1.0,
        0,
        10,
        unit="-",
        meaning="How strongly a partner's own defence share rises with insecurity.",
        source="Balancing (Waltz 1979); assumption for the number.",
    )
    insecurity_baseline_weight: float = param(
        1.0,
        0,
        1,
        unit="-",
        meaning="Weight of the first-year insecurity subtracted before the response: 1 = the scenario's defence share is the observed answer to the threat of its year and moves only with changes in insecurity; 0 = insecurity raises the observed share again (share·(1 + response·insecurity)).",
        source="The region presets' shares are observed (COW NMC 2016), so they already include the response to the threat then; with 0, Baltic shares doubled in the first decade (issue 18).",
    )
    aid_crowd_out: float = param(
        0.3,
        0,
        0.9,
        unit="$ per absorbed $",
        meaning="Own defence spending a partner stops per $ of absorbed force-building aid (training, intelligence, equipment, sustainment), until aid matches its budget (fungibility); below 1, so more aid never means fewer resources.",
        source="Feyzioglu, Swaroop & Zhu 1998 (aid is partly fungible: sector aid raises sector spending by less than its amount); Collier & Hoeffler 2007 (about 11% of aid leaks into military budgets); 0.3 inside that range, an assumption for the number.",
    )
    sunset_anticipation: float = param(
        0.5,
        0,
        5,
        unit="-",
        meaning="Rise of own defence share ahead of a credible sunset (fully in the last 5 years).",
        source="Hypothesis: sunset clauses as commitment devices (no quantitative evidence).",
    )
    spending_adjustment: float = param(
        0.25,
        0,
        1,
        unit="1/yr",
        meaning="Share of the gap to its target defence share a partner closes each year.",
        source="Budgets adjust slowly (Nordhaus, Oneal & Russett 2012).",
    )
    interoperability_rate: float = param(
        0.1,
        0,
        2,
        unit="1/yr",
        meaning="Interoperability gained per unit of absorbed training+intelligence aid relative to the own defence budget.",
        source="Assumption.",
    )
    interoperability_decay: float = param(
        0.05,
        0,
        1,
        unit="1/yr",
        meaning="Yearly decay of interoperability without aid.",
        source="Assumption.",
    )
    sunset_anticipation_years: int = param(
        5,
        1,
        20,
        unit="years",
        meaning="Years before a sunset in which a partner starts raising its own spending.",
        source="Hypothesis (budget cycles of about five years).",
    )
