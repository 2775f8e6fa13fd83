-- Every network head the viewer may see, sorted: the colour of a network head is its rank among all of
-- them (network_head_colors is given every code the Direction knows, see reports.common.colour_codes).
select code, name from network_heads_at($as_of) where visible(code, $allowed) order by code;
