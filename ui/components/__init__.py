"""Widgets shared by the pages: result cards, filters, pager, downloads, the item view, the search box."""
